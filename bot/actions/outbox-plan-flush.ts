// "Plan flush" on the share-recovery notice: plans `outbox flush` for the clicking user (same access rules as
// typing `/ytm outbox flush`) and posts its plan card in the notice's channel.
import type { App } from '@slack/bolt';
import type { BotDeps } from '../deps.js';
import { OUTBOX_PLAN_FLUSH_ACTION } from '../views/outbox.js';
import { registerPlanningButton } from './click.js';

export function registerOutboxPlanFlushAction(app: App, deps: BotDeps): void {
  registerPlanningButton(app, deps, OUTBOX_PLAN_FLUSH_ACTION, 'button', async () => ({ words: ['outbox', 'flush'] }));
}

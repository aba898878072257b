// Cancel on a plan card: ack at once, then a CAS to `cancelled` and the card edit.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { handleCancel } from '../approvals/cancel.js';
import { type BotDeps, track } from '../deps.js';
import { PLAN_CANCEL_ACTION } from '../views/plan-card.js';
import { clickOf } from './click.js';

export function registerPlanCancelAction(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>(PLAN_CANCEL_ACTION, async ({ ack, body, client }) => {
    await ack();
    track(deps, handleCancel(deps, client, clickOf(body)));
  });
}

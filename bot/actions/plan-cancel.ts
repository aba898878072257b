// Cancel on a plan card: ack at once, the access check every entry point gets, then the card check, a CAS to
// `cancelled` and the card edit.
import type { App } from '@slack/bolt';
import { handleCancel } from '../approvals/cancel.js';
import type { BotDeps } from '../deps.js';
import { PLAN_CANCEL_ACTION } from '../views/plan-card.js';
import { registerButton } from './click.js';

export function registerPlanCancelAction(app: App, deps: BotDeps): void {
  registerButton(app, deps, PLAN_CANCEL_ACTION, 'decide', (click, client) => handleCancel(deps, client, click));
}

// Approve on a plan card: ack at once, the access check every entry point gets, then the approval flow
// (card check, policy, CAS vote, card edit, apply child).
import type { App } from '@slack/bolt';
import { handleApprove } from '../approvals/approve.js';
import type { BotDeps } from '../deps.js';
import { PLAN_APPROVE_ACTION } from '../views/plan-card.js';
import { registerButton } from './click.js';

export function registerPlanApproveAction(app: App, deps: BotDeps): void {
  registerButton(app, deps, PLAN_APPROVE_ACTION, 'decide', (click, client) => handleApprove(deps, client, click));
}

// Approve on a plan card: ack at once, then the approval flow (policy, CAS vote, card edit, apply child).
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { handleApprove } from '../approvals/approve.js';
import { type BotDeps, track } from '../deps.js';
import { PLAN_APPROVE_ACTION } from '../views/plan-card.js';
import { clickOf } from './click.js';

export function registerPlanApproveAction(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>(PLAN_APPROVE_ACTION, async ({ ack, body, client }) => {
    await ack();
    track(deps, handleApprove(deps, client, clickOf(body)));
  });
}

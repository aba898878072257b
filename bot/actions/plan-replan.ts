// Re-plan on a stale card: the original command words (kept with the plan) are planned again, under the same
// access rules as typing them, and a new card is posted in the same channel.
import type { App } from '@slack/bolt';
import { loadRequest } from '../approvals/requests.js';
import type { BotDeps } from '../deps.js';
import { PLAN_REPLAN_ACTION } from '../views/plan-card.js';
import { registerPlanningButton } from './click.js';

export function registerPlanReplanAction(app: App, deps: BotDeps): void {
  registerPlanningButton(app, deps, PLAN_REPLAN_ACTION, 'replan', async (click) => {
    const req = await loadRequest(deps.stateDir, click.planId);
    if (!req) return { missing: ':question: The original command of this plan is not known here; type it again.' };
    return { words: req.words, channelId: req.channelId ?? undefined };
  });
}

// Re-plan on a stale card: the original command words (kept with the plan) are planned again, under the same
// access rules as typing them, and a new card is posted in the same channel.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { checkAccess } from '../access.js';
import { tellClicker } from '../approvals/approve.js';
import { requestPlan } from '../approvals/plan-request.js';
import { loadRequest } from '../approvals/requests.js';
import { type BotDeps, refuse, track } from '../deps.js';
import { PLAN_REPLAN_ACTION } from '../views/plan-card.js';
import { clickOf } from './click.js';
import { requesterOfAction } from './doctor-rerun.js';

export function registerPlanReplanAction(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>(PLAN_REPLAN_ACTION, async ({ ack, body, client }) => {
    await ack();
    const click = clickOf(body);
    const who = requesterOfAction(body);
    const decision = checkAccess(deps.policy, who, true);
    if (!decision.ok) {
      track(deps, tellClicker(deps, client, click, `:no_entry: ${refuse(deps, who, 'button plan.replan', decision)}`));
      return;
    }
    track(
      deps,
      (async () => {
        const req = await loadRequest(deps.stateDir, click.planId);
        if (!req) {
          await tellClicker(
            deps,
            client,
            click,
            ':question: The original command of this plan is not known here; type it again.',
          );
          return;
        }
        await requestPlan(deps, client, {
          words: req.words,
          userId: click.userId,
          channelId: click.channelId ?? req.channelId ?? undefined,
          responseUrl: click.responseUrl,
          via: 'replan',
        });
      })(),
    );
  });
}

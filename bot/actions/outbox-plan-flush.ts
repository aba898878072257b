// "Plan flush" on the share-recovery notice: plans `outbox flush` for the clicking user (same access rules as
// typing `/ytm outbox flush`) and posts its plan card in the notice's channel.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { checkAccess } from '../access.js';
import { tellClicker } from '../approvals/approve.js';
import { requestPlan } from '../approvals/plan-request.js';
import { type BotDeps, refuse, track } from '../deps.js';
import { OUTBOX_PLAN_FLUSH_ACTION } from '../views/outbox.js';
import { clickOf } from './click.js';
import { requesterOfAction } from './doctor-rerun.js';

export function registerOutboxPlanFlushAction(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>(OUTBOX_PLAN_FLUSH_ACTION, async ({ ack, body, client }) => {
    await ack();
    const click = clickOf(body);
    const who = requesterOfAction(body);
    const decision = checkAccess(deps.policy, who, true);
    if (!decision.ok) {
      track(
        deps,
        tellClicker(deps, client, click, `:no_entry: ${refuse(deps, who, 'button outbox.plan_flush', decision)}`),
      );
      return;
    }
    track(
      deps,
      requestPlan(deps, client, {
        words: ['outbox', 'flush'],
        userId: click.userId,
        channelId: click.channelId,
        responseUrl: click.responseUrl,
        via: 'button',
      }),
    );
  });
}

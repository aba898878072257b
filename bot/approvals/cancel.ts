// One Cancel click: the requester or an approver may cancel a plan that has not started. A CAS to `cancelled`;
// the card then says who cancelled it and that nothing ran.
import type { WebClient } from '@slack/web-api';
import { getPlan, transition } from '../../lib/approvals/store.js';
import { isPlanId } from '../../lib/plan/id.js';
import { audit, type BotDeps } from '../deps.js';
import { cancelledView } from '../views/plan-status.js';
import { type Click, notAwaitingText, refusedOffCard, tellClicker } from './approve.js';
import { updateCard } from './card.js';

export async function handleCancel(deps: BotDeps, client: WebClient, click: Click): Promise<void> {
  const rec = isPlanId(click.planId) ? await getPlan(deps.stateDir, click.planId) : undefined;
  if (!rec) {
    await tellClicker(deps, client, click, ':question: No such plan.');
    return;
  }
  if (await refusedOffCard(deps, client, click, rec, 'cancel')) return;
  const mayCancel = click.userId === rec.requestedBy || deps.config.YTM_SLACK_APPROVERS.includes(click.userId);
  if (!mayCancel) {
    await audit(deps, 'plan.cancel_refused', click.userId, { planId: rec.planId, channel: click.channelId ?? null });
    deps.log.warn({ planId: rec.planId, user: click.userId }, 'cancel refused');
    await tellClicker(
      deps,
      client,
      click,
      `:no_entry: Only the requester (<@${rec.requestedBy}>) or an approver may cancel this plan.`,
    );
    return;
  }
  const r = await transition(deps.stateDir, rec.planId, {
    from: ['awaiting_approval', 'approved'],
    to: 'cancelled',
    by: click.userId,
    note: 'cancelled in Slack',
  });
  if (!r.ok) {
    await tellClicker(
      deps,
      client,
      click,
      `:information_source: ${r.current ? notAwaitingText(r.current) : 'No such plan.'}`,
    );
    return;
  }
  await audit(deps, 'plan.cancelled', click.userId, { planId: rec.planId, via: 'slack' });
  deps.log.info({ planId: rec.planId, user: click.userId }, 'plan cancelled');
  await updateCard(deps, client, r.record, cancelledView(r.record, click.userId), click.responseUrl);
}

// A scheduled run that must not go ahead unattended (the mirror over its delete limit) exits 2 with a refusal
// code and the plan it would have run. For a job whose manifest entry lists that code under approval.onRefusal,
// the plan's approval card goes to YTM_SLACK_ALERT_CHANNEL, once: while the card posted last still waits,
// later refused ticks post nothing new. The plan is taken from the approval store when the run stored it,
// else from the run's JSON (`planId` and `plan`).
import type { WebClient } from '@slack/web-api';
import { getPlan } from '../../lib/approvals/store.js';
import { isPlanId } from '../../lib/plan/id.js';
import type { ScheduleEntry } from '../../lib/schedule/manifest.js';
import { dryRunOf, submitPlan } from '../approvals/plan-request.js';
import { planningWords } from '../approvals/requests.js';
import type { BotDeps } from '../deps.js';
import type { ScheduledResult, Scheduler } from './scheduler.js';

/** Refusal codes a run's JSON names: `code`, or `refusals[].code` (the shape of a plan's refusals). */
export function refusalCodes(json: unknown): string[] {
  const data = (json ?? {}) as { code?: unknown; refusals?: unknown };
  const codes = typeof data.code === 'string' ? [data.code] : [];
  if (Array.isArray(data.refusals)) {
    for (const r of data.refusals as { code?: unknown }[]) if (typeof r?.code === 'string') codes.push(r.code);
  }
  return codes;
}

async function stillWaiting(deps: BotDeps, planId: string | undefined): Promise<boolean> {
  if (!planId) return false;
  const rec = await getPlan(deps.stateDir, planId).catch(() => undefined);
  return rec?.state === 'awaiting_approval';
}

export async function askApproval(
  deps: BotDeps,
  client: WebClient,
  scheduler: Scheduler,
  entry: ScheduleEntry,
  r: ScheduledResult,
): Promise<'posted' | 'waiting' | 'not-asked'> {
  if (r.outcome !== 'refused') return 'not-asked';
  const codes = refusalCodes(r.json).filter((c) => entry.approvalOnRefusal.includes(c));
  if (codes.length === 0) return 'not-asked';
  const planId = (r.json as { planId?: unknown }).planId;
  const log = deps.log.child({ job: entry.name, codes });
  if (typeof planId !== 'string' || !isPlanId(planId)) {
    log.warn('scheduled run refused for approval but named no plan; nothing to post');
    return 'not-asked';
  }
  const channel = deps.config.YTM_SLACK_ALERT_CHANNEL;
  if (!channel) {
    log.warn({ planId }, 'scheduled run needs approval but YTM_SLACK_ALERT_CHANNEL is not set; the plan is not posted');
    return 'not-asked';
  }
  if (await stillWaiting(deps, scheduler.awaitingPlan(entry.name))) {
    log.info(
      { planId, waiting: scheduler.awaitingPlan(entry.name) },
      'an earlier plan of this job still awaits approval',
    );
    return 'waiting';
  }
  const stored = await getPlan(deps.stateDir, planId);
  if (stored && stored.state !== 'awaiting_approval') {
    log.info({ planId, state: stored.state }, 'the refused run’s plan is no longer awaiting approval; not posted');
    return 'not-asked';
  }
  const dry = stored ? { planId, plan: stored.plan } : dryRunOf(r.json);
  if ('error' in dry) {
    log.warn({ planId }, 'the refused run’s plan is neither stored nor in its JSON; nothing to post');
    return 'not-asked';
  }
  if (dry.plan.refusals.length > 0) {
    // Such a plan can never be approved: a card every tick would only repeat the refusal.
    log.warn(
      { planId, refusals: dry.plan.refusals.map((x) => x.code) },
      'the refused run’s plan has refusals itself; not posted',
    );
    return 'not-asked';
  }
  const words = planningWords(entry.command).words;
  await submitPlan(deps, client, {
    ...dry,
    requestedBy: `schedule:${entry.name}`,
    channelId: channel,
    responseUrl: undefined,
    words,
    command: `${words.join(' ')} (scheduled: ${codes.join(', ')})`,
  });
  scheduler.setAwaitingPlan(entry.name, dry.planId);
  return 'posted';
}

/** Registers askApproval for every manifest job with an approval policy. */
export function askApprovalOnRefusals(deps: BotDeps, client: WebClient, scheduler: Scheduler): void {
  for (const entry of scheduler.entries) {
    if (entry.approvalOnRefusal.length === 0) continue;
    scheduler.on(entry.name, async (r) => {
      await askApproval(deps, client, scheduler, entry, r);
    });
  }
}

// A mutating command from Slack (`/ytm store …`, `/ytm outbox flush`, "Re-plan", "Plan flush"): run the
// dry-run child (`ytm <words> --events`), store the plan awaiting approval (not when it has refusals: those
// can never be approved), and post the plan card. Nothing here changes a file: only an approval runs a plan.
import type { WebClient } from '@slack/web-api';
import { approvalsNeeded } from '../../lib/approvals/policy.js';
import { savePlan } from '../../lib/approvals/store.js';
import { scrubSecrets } from '../../lib/log.js';
import { isPlanId } from '../../lib/plan/id.js';
import { type Plan, PlanSchema } from '../../lib/plan/types.js';
import { audit, type BotDeps } from '../deps.js';
import { reply } from '../reply.js';
import { plainView } from '../views/help.js';
import { esc } from '../views/limits.js';
import { fullListView, planCardView } from '../views/plan-card.js';
import { postCard, postThreadReply } from './card.js';
import { planningWords, saveRequest } from './requests.js';

export interface PlanRequest {
  /** The command words as typed (after `/ytm`), e.g. ['store', '--episode', 'CH02-043']. */
  words: string[];
  userId: string;
  /** Where the card goes. */
  channelId: string | undefined;
  responseUrl: string | undefined;
  via: 'slash' | 'replan' | 'button';
}

export interface DryRun {
  planId: string;
  plan: Plan;
}

/** The dry-run child's result as a plan, or why there is none. */
export function dryRunOf(result: unknown): DryRun | { error: string } {
  const data = (result ?? {}) as Record<string, unknown>;
  if (typeof data.planId === 'string' && isPlanId(data.planId)) {
    const plan = PlanSchema.safeParse(data.plan);
    if (plan.success) return { planId: data.planId, plan: plan.data };
  }
  if (typeof data.message === 'string') return { error: data.message };
  if (Array.isArray(data.problems)) {
    return {
      error: (data.problems as { name?: string; message?: string }[])
        .map((p) => `${p.name ?? '?'}: ${p.message ?? ''}`)
        .join('; '),
    };
  }
  return { error: '' };
}

export function ttlMs(deps: BotDeps): number {
  return deps.config.YTM_PLAN_TTL_MIN * 60_000;
}

export async function requestPlan(deps: BotDeps, client: WebClient, req: PlanRequest): Promise<void> {
  const { words, droppedRun } = planningWords(req.words);
  const command = words.join(' ');
  const target = { responseUrl: req.responseUrl, channelId: req.channelId, userId: req.userId };
  await audit(deps, 'slack.request', req.userId, {
    command,
    channel: req.channelId ?? null,
    outcome: 'planning',
    via: req.via,
  });
  const start = deps.jobs.run({ args: [...words, '--events'], timeoutMs: deps.settings.jobTimeoutMs });
  if (start.busy) {
    await reply(
      client,
      target,
      plainView(`:hourglass: \`/ytm ${esc(command)}\`: ${start.busy}`),
      { inChannel: false },
      deps.log,
    );
    return;
  }
  const outcome = await start.done;
  const dry = dryRunOf(outcome.result);
  if ('error' in dry) {
    const why =
      dry.error ||
      (outcome.status === 'timeout'
        ? `planning did not finish within ${Math.round(deps.settings.jobTimeoutMs / 1000)} s`
        : `the planning child ended (${outcome.status}, exit ${outcome.exitCode ?? outcome.signal ?? '?'}) without a plan: ${scrubSecrets(outcome.stderrTail.trim().split('\n').slice(-3).join(' '))}`);
    await reply(
      client,
      target,
      plainView(`:x: \`/ytm ${esc(command)}\`: no plan. ${esc(why)}`),
      { inChannel: false },
      deps.log,
    );
    return;
  }
  await submitPlan(deps, client, {
    ...dry,
    requestedBy: req.userId,
    channelId: req.channelId,
    responseUrl: req.responseUrl,
    words,
    command: droppedRun ? `${command} (--run ignored: in Slack the Approve button runs a plan)` : command,
  });
}

export interface PlanSubmission extends DryRun {
  /** A Slack user ID, or who else asked (`schedule:<job>` for a scheduled run). */
  requestedBy: string;
  channelId: string | undefined;
  responseUrl: string | undefined;
  /** The planning words kept for "Re-plan". */
  words: string[];
  /** The command shown on the card. */
  command: string;
}

/**
 * Stores the plan awaiting approval (not when it has refusals: those can never be approved; saving a plan that is
 * already stored keeps its record) and posts its card, the full action list in a thread. Returns the card's ts.
 */
export async function submitPlan(deps: BotDeps, client: WebClient, req: PlanSubmission): Promise<string | undefined> {
  const { plan, planId } = req;
  const refused = plan.refusals.length > 0;
  let expiresAt: string | undefined;
  let approvedBy: string[] = [];
  let requestedBy = req.requestedBy;
  if (!refused) {
    const { record } = await savePlan(deps.stateDir, plan, {
      requestedBy: req.requestedBy,
      requestedIn: req.channelId ?? 'slack',
      ttlMs: ttlMs(deps),
    });
    expiresAt = record.expiresAt;
    approvedBy = record.approvals.map((a) => a.user);
    requestedBy = record.requestedBy;
    await saveRequest(deps.stateDir, planId, {
      words: req.words,
      userId: requestedBy,
      channelId: req.channelId ?? null,
    });
  }
  const view = planCardView({
    planId,
    plan,
    requestedBy,
    ...(expiresAt ? { expiresAt } : {}),
    approvers: deps.config.YTM_SLACK_APPROVERS,
    needed: approvalsNeeded({
      destructive: plan.destructive,
      destructiveApprovals: deps.config.YTM_DESTRUCTIVE_APPROVALS,
    }),
    requesterExcluded: deps.config.YTM_TWO_PERSON_RULE && plan.destructive,
    approvedBy,
    command: req.command,
  });
  const ts = await postCard(
    deps,
    client,
    { channelId: req.channelId, responseUrl: req.responseUrl, planId: refused ? null : planId },
    view,
  );
  const full = fullListView(plan);
  if (full && ts && req.channelId) await postThreadReply(deps, client, req.channelId, ts, full);
  await audit(deps, 'slack.plan_card', requestedBy, {
    planId,
    job: plan.job,
    refused,
    channel: req.channelId ?? null,
    ts: ts ?? null,
  });
  deps.log.info({ planId, job: plan.job, refused, ts, user: requestedBy }, 'plan card posted');
  return ts;
}

// applyStoredPlan: run exactly one stored, approved plan, once. The claim is a compare-and-set
// approved → running, so a double click, a redelivered envelope or a second `ytm apply` gets "already …"
// and does nothing. Before any action the job re-plans from the stored input and the preconditions are
// compared: any difference → `stale`, nothing executed. Every action is journaled before and after.
import { hostname } from 'node:os';
import type { ApprovalRecord } from '../../lib/approvals/record.js';
import { getPlan, transition } from '../../lib/approvals/store.js';
import { hostIdentity } from '../../lib/locks/host-id.js';
import { diffPreconditions, type PreconditionChange } from '../../lib/plan/preconditions.js';
import type { JsonObject, JsonValue } from '../../lib/plan/types.js';
import { audit } from './audit.js';
import { EXIT_FAILED, EXIT_OK, EXIT_REFUSED } from './exit.js';
import { appendJournal } from './journal.js';
import { parseJobInput } from './plan.js';
import { writeJobReport } from './report.js';
import { staleInWords } from './stale-words.js';
import type { ActionOutcome, ActionStatus, ApplySummary, FinalState, Job, JobContext, JobLookup } from './types.js';

const RUNNING_NOTE = (pid: number, host: string) => `pid ${pid} on ${host}`;
export const RUNNING_NOTE_RE = /^pid (\d+) on (.+)$/;

function emptyCounts(): Record<ActionStatus, number> {
  return { done: 0, up_to_date: 0, failed: 0, skipped: 0 };
}

/** Whether a child's result is an apply summary (`ytm apply --events`' result data). */
export function isApplySummary(v: unknown): v is ApplySummary {
  const s = v as Partial<ApplySummary> | null;
  return !!s && typeof s.planId === 'string' && typeof s.state === 'string' && Array.isArray(s.outcomes);
}

/** Why a plan in `state` cannot be applied now, in words. */
export function notApplicableReason(rec: ApprovalRecord): string {
  switch (rec.state) {
    case 'awaiting_approval':
      return 'it has not been approved yet';
    case 'running':
      return 'it is already running';
    case 'succeeded':
    case 'failed':
    case 'partial':
      return `it already ran (${rec.state}); a plan runs at most once — re-plan to run again`;
    case 'cancelled':
      return 'it was cancelled';
    case 'expired':
      return `it expired (${rec.expiresAt}) — re-plan`;
    case 'stale':
      return 'it went stale (the facts it relied on changed) — re-plan';
    case 'interrupted':
      return 'a previous run was interrupted — re-plan (the new plan skips what is already done)';
    default:
      return `it is ${rec.state}`;
  }
}

function refused(planId: string, job: string, reason: string): ApplySummary {
  return { planId, job, state: 'refused', reason, outcomes: [], counts: emptyCounts(), exitCode: EXIT_REFUSED };
}

function changesJson(changes: PreconditionChange[]): JsonValue {
  return changes.slice(0, 50).map((c) => ({ key: c.key, before: c.before ?? null, after: c.after ?? null }));
}

/** A run stopped by SIGTERM/SIGINT (the bot's cancel) is `cancelled`, or `partial` when some actions got done. */
function finalState(counts: Record<ActionStatus, number>, aborted: boolean): FinalState {
  const progressed = counts.done + counts.up_to_date;
  if (aborted) return progressed > 0 ? 'partial' : 'cancelled';
  if (counts.failed > 0) return progressed > 0 ? 'partial' : 'failed';
  return 'succeeded';
}

export async function applyStoredPlan(
  stateDir: string,
  planId: string,
  ctx: JobContext,
  jobs: JobLookup,
): Promise<ApplySummary> {
  let rec: ApprovalRecord | undefined;
  try {
    rec = await getPlan(stateDir, planId);
  } catch (err) {
    return refused(planId, '?', (err as Error).message);
  }
  if (!rec) return refused(planId, '?', 'no such plan in the approval store');
  const job = jobs(rec.plan.job);
  if (!job) {
    const out = refused(planId, rec.plan.job, `unknown job "${rec.plan.job}"`);
    await audit(stateDir, 'job.refused', ctx.actor, planId, { reason: out.reason ?? '' });
    return out;
  }
  // The stable host id, so recovery still knows this runner as this machine's after a host name change.
  const host = (await hostIdentity(stateDir)).id;
  const claim = await transition(stateDir, planId, {
    from: 'approved',
    to: 'running',
    by: ctx.actor,
    note: RUNNING_NOTE(process.pid, host),
    now: ctx.now(),
  });
  if (!claim.ok) {
    const reason = claim.current ? `not applied: ${notApplicableReason(claim.current)}` : 'no such plan';
    await audit(stateDir, 'job.refused', ctx.actor, planId, { reason, state: claim.current?.state ?? null });
    return refused(planId, rec.plan.job, reason);
  }
  try {
    return await execute(stateDir, planId, claim.record, job, ctx);
  } catch (err) {
    // Engine failure (state dir unwritable, re-plan crashed): never leave the plan `running`.
    const message = err instanceof Error ? err.message : String(err);
    await transition(stateDir, planId, {
      from: 'running',
      to: 'failed',
      by: ctx.actor,
      note: `engine error: ${message}`.slice(0, 500),
      patch: { result: { error: message } },
    }).catch(() => {});
    await audit(stateDir, 'job.result', ctx.actor, planId, { state: 'failed', error: message }).catch(() => {});
    return {
      planId,
      job: job.name,
      state: 'failed',
      reason: message,
      outcomes: [],
      counts: emptyCounts(),
      exitCode: EXIT_FAILED,
    };
  }
}

async function execute(
  stateDir: string,
  planId: string,
  rec: ApprovalRecord,
  job: Job,
  ctx: JobContext,
): Promise<ApplySummary> {
  const plan = rec.plan;
  const startedAt = ctx.now();
  await appendJournal(stateDir, planId, {
    t: 'start',
    at: startedAt.toISOString(),
    pid: process.pid,
    host: hostname(),
    actions: plan.actions.length,
    actor: ctx.actor,
  });
  await audit(stateDir, 'job.start', ctx.actor, planId, { job: job.name, actions: plan.actions.length });

  ctx.progress({ stage: 'recheck', message: 'checking that nothing changed since the plan was made' });
  const input = parseJobInput(job, plan.input) as JsonObject;
  const fresh = await job.plan(input, { ...ctx, recheck: true });
  const changes = diffPreconditions(plan.preconditions, fresh.preconditions);
  if (fresh.refusals.length > 0 && plan.refusals.length === 0) {
    changes.push({ key: 'refusals', before: [], after: fresh.refusals.map((r) => `${r.code}: ${r.message}`) });
  }
  if (changes.length > 0) {
    const keys = changes.map((c) => c.key);
    await transition(stateDir, planId, {
      from: 'running',
      to: 'stale',
      by: ctx.actor,
      note: `changed: ${keys.join(', ')}`.slice(0, 1000),
      patch: { result: { staleKeys: keys, changes: changesJson(changes) } },
    });
    await appendJournal(stateDir, planId, { t: 'finish', at: ctx.now().toISOString(), state: 'stale' });
    await audit(stateDir, 'job.stale', ctx.actor, planId, { keys, changes: changesJson(changes) });
    return {
      planId,
      job: job.name,
      state: 'stale',
      reason: `the plan is stale, nothing was done: ${staleInWords(changes).join('; ')}. Re-plan to see what would happen now.`,
      staleKeys: keys,
      outcomes: [],
      counts: emptyCounts(),
      exitCode: EXIT_REFUSED,
    };
  }
  for (const n of fresh.notices ?? []) await audit(stateDir, n.kind as 'job.override', ctx.actor, planId, n.data);

  const counts = emptyCounts();
  const outcomes: ApplySummary['outcomes'] = [];
  let aborted = false;
  for (let i = 0; i < plan.actions.length; i++) {
    const action = plan.actions[i] as JsonValue;
    const label = job.describeAction(action);
    let outcome: ActionOutcome;
    if (ctx.signal.aborted) {
      aborted = true;
      outcome = { status: 'skipped', message: 'cancelled before it started' };
    } else {
      await appendJournal(stateDir, planId, { t: 'begin', at: ctx.now().toISOString(), i, label });
      ctx.progress({ stage: 'action', action: i, message: `${i + 1}/${plan.actions.length} ${label}` });
      try {
        outcome = await job.applyAction(action, i, ctx, planId);
      } catch (err) {
        outcome = { status: 'failed', message: err instanceof Error ? err.message : String(err) };
      }
      await appendJournal(stateDir, planId, {
        t: 'end',
        at: ctx.now().toISOString(),
        i,
        status: outcome.status,
        message: outcome.message.slice(0, 500),
      });
      ctx.progress({ stage: 'action-done', action: i, message: `${outcome.status}: ${outcome.message}` });
    }
    counts[outcome.status] += 1;
    outcomes.push({ index: i, label, ...outcome });
  }

  const state = finalState(counts, aborted || ctx.signal.aborted);
  const finishedAt = ctx.now();
  let report: string | undefined;
  let reportError: string | undefined;
  try {
    report = await writeJobReport(ctx.paths, job.name, planId, finishedAt, {
      schema: 'ytm-ops.job_report.v1',
      job: job.name,
      planId,
      state,
      actor: ctx.actor,
      requestedBy: rec.requestedBy,
      approvals: rec.approvals,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      summary: plan.summary,
      input: plan.input,
      counts,
      outcomes,
    });
  } catch (err) {
    reportError = err instanceof Error ? err.message : String(err);
  }
  const result: JsonObject = {
    state,
    counts,
    report: report ?? null,
    ...(reportError ? { reportError } : {}),
    outcomes: outcomes
      .slice(0, 100)
      .map((o) => ({ index: o.index, label: o.label, status: o.status, message: o.message })),
  };
  await transition(stateDir, planId, { from: 'running', to: state, by: ctx.actor, patch: { result } });
  await appendJournal(stateDir, planId, { t: 'finish', at: finishedAt.toISOString(), state });
  await audit(stateDir, 'job.result', ctx.actor, planId, { job: job.name, state, counts, report: report ?? null });
  return {
    planId,
    job: job.name,
    state,
    outcomes,
    counts,
    ...(report ? { report } : {}),
    ...(reportError ? { reason: `report not written: ${reportError}` } : {}),
    exitCode: state === 'succeeded' ? EXIT_OK : EXIT_FAILED,
  };
}

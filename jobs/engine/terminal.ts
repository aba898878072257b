// The flow of every mutating command in a terminal (and in the bot's planning child): plan → print; with
// `--run`: plan in a `ytm plan` child, save the plan, record the local user's approval (`terminal:<user>`) and
// apply it in a `ytm apply` child, the way the bot runs an approved plan, each child under YTM_APPLY_TIMEOUT_MIN.
// The terminal's own process never touches the share on this path, so a hung share cannot freeze it.
// Refusals exit 2 and nothing is applied; destructive applies without a TTY need --yes.
import { createInterface } from 'node:readline/promises';
import { getPlan, recordApproval, savePlan } from '../../lib/approvals/store.js';
import { formatProblems } from '../../lib/config.js';
import type { JobOutcome } from '../../lib/job-runner.js';
import { planId as computePlanId, shortId } from '../../lib/plan/id.js';
import { type JsonObject, type Plan, PlanSchema } from '../../lib/plan/types.js';
import { isApplySummary } from './apply.js';
import { audit } from './audit.js';
import { loadContext } from './context.js';
import { EXIT_FAILED, EXIT_OK, EXIT_REFUSED } from './exit.js';
import { createOutput, type OutputMode } from './output.js';
import { JobInputError, type PlannedJob, planJob } from './plan.js';
import { recoverInterrupted } from './recover.js';
import { applyText, planText } from './render.js';
import { humanDuration } from './stamp.js';
import type { ApplySummary, Job, JobContext } from './types.js';
import { runYtmChild } from './ytm-child.js';

export interface RunJobOptions extends OutputMode {
  run: boolean;
  yes: boolean;
  /** Default: stdin and stdout are both TTYs. */
  interactive?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * Called once the plan is made, before refusals and the apply are handled: the job's own command may end the
   * command here (the mirror records a skip or a dry-run report, and holds an over-limit scheduled plan back).
   * The returned data is merged into `{ planId, shortId, plan }`.
   */
  afterPlan?: (p: { plan: Plan; planId: string; ctx: JobContext; run: boolean }) => Promise<Early | undefined>;
}

/** SIGTERM/SIGINT abort the current job between chunks and actions (the bot cancels this way). */
export function abortOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  // Repeated signals only repeat the abort; the bot's runner escalates to SIGKILL after its grace period.
  const onSignal = () => ac.abort(new Error('cancelled by signal'));
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** What ends a command before or instead of an apply: an exit code with its data and text. */
export interface Early {
  exitCode: number;
  data: unknown;
  text: string;
}

/** Both `--run` children get the bot's apply limit: a hung share ends in a clear error, not a frozen terminal. */
const runLimitMs = (ctx: JobContext) => ctx.config.YTM_APPLY_TIMEOUT_MIN * 60_000;

/** Why a child gave no result, in words: a time-out names the setting and the likely cause. */
function childFailure(what: string, outcome: JobOutcome, limitMs: number): string {
  if (outcome.status === 'timeout') {
    const stuck = outcome.abandoned ? ' (its process is stuck in the kernel and was left behind)' : '';
    return `${what} did not finish within ${humanDuration(limitMs)} (YTM_APPLY_TIMEOUT_MIN) and was stopped${stuck}: the share, or a destination on it, is not answering`;
  }
  if (outcome.status === 'cancelled') return `${what} was cancelled`;
  const tail = outcome.stderrTail.trim().split('\n').slice(-3).join(' ');
  return `${what} ended (${outcome.status}, exit ${outcome.exitCode ?? outcome.signal ?? '?'}) without a result${tail ? `: ${tail}` : ''}`;
}

async function planHere<I extends JsonObject>(job: Job<I>, input: I, ctx: JobContext): Promise<PlannedJob | Early> {
  try {
    return await planJob(job, input, ctx);
  } catch (err) {
    if (!(err instanceof JobInputError)) throw err;
    return {
      exitCode: EXIT_REFUSED,
      data: { error: 'input', message: err.message },
      text: `${job.name}: ${err.message}`,
    };
  }
}

async function planInChild<I extends JsonObject>(
  job: Job<I>,
  input: I,
  ctx: JobContext,
  env: NodeJS.ProcessEnv | undefined,
): Promise<{ plan: Plan; planId: string } | Early> {
  const limitMs = runLimitMs(ctx);
  const outcome = await runYtmChild(['plan', job.name, JSON.stringify(input), '--events'], {
    timeoutMs: limitMs,
    signal: ctx.signal,
    onProgress: ctx.progress,
    ...(env ? { env } : {}),
  });
  const r = (outcome.result ?? {}) as Record<string, unknown>;
  const plan = PlanSchema.safeParse(r.plan);
  // Only a child that finished by itself planned: one stopped at the limit may answer with what it had then.
  const finished = outcome.status === 'exited';
  // The id is the plan's hash: computed here from what arrived, not taken from the child.
  if (finished && plan.success) return { plan: plan.data, planId: computePlanId(plan.data) };
  if (finished && r.error === 'input' && typeof r.message === 'string') {
    return { exitCode: EXIT_REFUSED, data: r, text: `${job.name}: ${r.message}` };
  }
  const message = `${job.name}: ${childFailure('planning', outcome, limitMs)}`;
  return { exitCode: EXIT_FAILED, data: { error: outcome.status, message }, text: message };
}

/** `ytm apply <planId>` in a child under the apply limit, as the bot runs an approved plan. */
async function applyInChild(
  job: Job,
  planId: string,
  ctx: JobContext,
  env: NodeJS.ProcessEnv | undefined,
): Promise<ApplySummary | Early> {
  const limitMs = runLimitMs(ctx);
  const outcome = await runYtmChild(['apply', planId, '--events', '--actor', ctx.actor], {
    timeoutMs: limitMs,
    signal: ctx.signal,
    onProgress: ctx.progress,
    ...(env ? { env } : {}),
  });
  if (isApplySummary(outcome.result)) {
    // Stopped at the limit but still able to say what it did: that summary, with the reason it was stopped.
    if (outcome.status !== 'exited') outcome.result.reason ??= childFailure('the apply', outcome, limitMs);
    return outcome.result;
  }
  // No result: ask recovery what the journal says was done (a child stuck in the kernel still counts as alive).
  const stateDir = ctx.paths.stateDir;
  const mine = (await recoverInterrupted(stateDir).catch(() => [])).find((r) => r.planId === planId);
  const state = (await getPlan(stateDir, planId).catch(() => undefined))?.state ?? 'unknown';
  const message = `${job.name}: ${childFailure(`applying plan ${shortId(planId)}`, outcome, limitMs)}; plan state: ${state}${mine ? `; ${mine.description}` : ''}`;
  return { exitCode: EXIT_FAILED, data: { error: outcome.status, message, state }, text: message };
}

export async function runJobCommand<I extends JsonObject>(job: Job<I>, input: I, opts: RunJobOptions): Promise<number> {
  const out = createOutput(opts);
  const stop = abortOnSignals();
  const early = (e: Early) => {
    out.result(e.exitCode, e.data, e.text);
    return e.exitCode;
  };
  try {
    const loaded = loadContext({ progress: out.progress, signal: stop.signal }, opts.env);
    if (!loaded.ok) {
      out.result(EXIT_FAILED, { error: 'config', problems: loaded.problems }, formatProblems(loaded.problems));
      return EXIT_FAILED;
    }
    const ctx = loaded.ctx;
    const stateDir = ctx.paths.stateDir;
    await recoverInterrupted(stateDir).catch(() => []);
    await audit(stateDir, 'job.request', ctx.actor, undefined, { job: job.name, input, run: opts.run });
    // A dry run plans here (the bot's planning child is one, already under a limit); `--run` plans in a child.
    const planned = opts.run ? await planInChild(job, input, ctx, opts.env) : await planHere(job, input, ctx);
    if ('exitCode' in planned) return early(planned);
    const { plan, planId } = planned;
    await audit(stateDir, 'job.plan', ctx.actor, planId, {
      job: job.name,
      summary: plan.summary,
      actions: plan.actions.length,
      destructive: plan.destructive,
      refusals: plan.refusals.map((r) => r.code),
    });
    const data = { planId, shortId: shortId(planId), plan };
    const stopped = opts.afterPlan ? await opts.afterPlan({ plan, planId, ctx, run: opts.run }) : undefined;
    if (stopped) return early({ ...stopped, data: { ...data, ...(stopped.data as object) } });
    if (plan.refusals.length > 0) {
      await audit(stateDir, 'job.refused', ctx.actor, planId, { refusals: plan.refusals });
      out.result(EXIT_REFUSED, { ...data, refused: true }, planText(job, plan, planId, 'dry-run'));
      return EXIT_REFUSED;
    }
    if (!opts.run) {
      out.result(EXIT_OK, data, planText(job, plan, planId, 'dry-run'));
      return EXIT_OK;
    }
    if (plan.destructive && !opts.yes) {
      const interactive = opts.interactive ?? (process.stdin.isTTY === true && process.stdout.isTTY === true);
      const why = 'this plan replaces or deletes files';
      if (!interactive) {
        const message = `${job.name}: refused: ${why}; without a terminal attached add --yes to apply it`;
        await audit(stateDir, 'job.refused', ctx.actor, planId, { reason: 'destructive apply without --yes' });
        out.result(EXIT_REFUSED, { ...data, refused: true, reason: 'needs --yes' }, message);
        return EXIT_REFUSED;
      }
      process.stderr.write(`${planText(job, plan, planId, 'run')}\n`);
      if (!(await confirm(`${why}. Apply plan ${shortId(planId)}?`))) {
        await audit(stateDir, 'job.refused', ctx.actor, planId, { reason: 'declined at the prompt' });
        out.result(EXIT_REFUSED, { ...data, refused: true, reason: 'declined' }, 'not applied');
        return EXIT_REFUSED;
      }
    }
    await savePlan(stateDir, plan, {
      requestedBy: ctx.actor,
      requestedIn: 'terminal',
      ttlMs: ctx.config.YTM_PLAN_TTL_MIN * 60_000,
      now: ctx.now(),
    });
    const vote = await recordApproval(stateDir, planId, { user: ctx.actor, needed: 1, now: ctx.now() });
    if (!vote.ok) {
      const message = `${job.name}: could not approve plan ${shortId(planId)}: ${vote.reason}`;
      out.result(EXIT_REFUSED, { ...data, refused: true, reason: vote.reason }, message);
      return EXIT_REFUSED;
    }
    await audit(stateDir, 'plan.approved', ctx.actor, planId, { via: '--run', yes: opts.yes });
    const summary = await applyInChild(job as unknown as Job, planId, ctx, opts.env);
    if (!isApplySummary(summary))
      return early({ ...summary, data: { ...data, applied: null, ...(summary.data as object) } });
    out.result(summary.exitCode, { ...data, applied: summary }, applyText(summary, plan.warnings));
    return summary.exitCode;
  } finally {
    stop.dispose();
  }
}

// The flow of every mutating command in a terminal (and in the bot's planning child): plan → print; with
// `--run`: save the plan, record the local user's approval (`terminal:<user>`) and apply it through the same
// executor the bot uses. Refusals exit 2 and nothing is applied; destructive applies without a TTY need --yes.
import { createInterface } from 'node:readline/promises';
import { recordApproval, savePlan } from '../../lib/approvals/store.js';
import { formatProblems } from '../../lib/config.js';
import { shortId } from '../../lib/plan/id.js';
import type { JsonObject } from '../../lib/plan/types.js';
import { applyStoredPlan } from './apply.js';
import { audit } from './audit.js';
import { loadContext } from './context.js';
import { EXIT_FAILED, EXIT_OK, EXIT_REFUSED } from './exit.js';
import { createOutput, type OutputMode } from './output.js';
import { JobInputError, planJob } from './plan.js';
import { recoverInterrupted } from './recover.js';
import { applyText, planText } from './render.js';
import type { Job, JobLookup } from './types.js';

export interface RunJobOptions extends OutputMode {
  run: boolean;
  yes: boolean;
  lookup: JobLookup;
  /** Default: stdin and stdout are both TTYs. */
  interactive?: boolean;
  env?: NodeJS.ProcessEnv;
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

export async function runJobCommand<I extends JsonObject>(job: Job<I>, input: I, opts: RunJobOptions): Promise<number> {
  const out = createOutput(opts);
  const stop = abortOnSignals();
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
    let planned: Awaited<ReturnType<typeof planJob<I>>>;
    try {
      planned = await planJob(job, input, ctx);
    } catch (err) {
      if (!(err instanceof JobInputError)) throw err;
      out.result(EXIT_REFUSED, { error: 'input', message: err.message }, `${job.name}: ${err.message}`);
      return EXIT_REFUSED;
    }
    const { plan, planId } = planned;
    await audit(stateDir, 'job.plan', ctx.actor, planId, {
      job: job.name,
      summary: plan.summary,
      actions: plan.actions.length,
      destructive: plan.destructive,
      refusals: plan.refusals.map((r) => r.code),
    });
    const data = { planId, shortId: shortId(planId), plan };
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
    const summary = await applyStoredPlan(stateDir, planId, ctx, opts.lookup);
    out.result(summary.exitCode, { ...data, applied: summary }, applyText(summary));
    return summary.exitCode;
  } finally {
    stop.dispose();
  }
}

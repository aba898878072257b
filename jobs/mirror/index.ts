// `ytm mirror [--bootstrap-dest] [--run] [--scheduled]`: plan (dry run) → approve → apply through the engine.
// Around the engine: a share that is not up is a skip (recorded, exit 0), every dry run is recorded as the
// drift figure, and a `--scheduled --run` whose plan would delete more than the limit is not applied: the plan
// is stored awaiting approval and its id returned (exit 2, MIRROR_OVER_DELETE_LIMIT) for the scheduler's card.
import { savePlan } from '../../lib/approvals/store.js';
import type { Plan } from '../../lib/plan/types.js';
import { audit } from '../engine/audit.js';
import { EXIT_OK, EXIT_REFUSED } from '../engine/exit.js';
import { planText } from '../engine/render.js';
import { type Early, runJobCommand } from '../engine/terminal.js';
import type { JobContext } from '../engine/types.js';
import type { ParsedCommand } from '../grammar.js';
import { MirrorActionSchema } from './action.js';
import { writePlanReport } from './dry-run-report.js';
import { mirrorJob } from './job.js';
import { OVER_DELETE_LIMIT, SHARE_NOT_UP } from './plan.js';

async function afterPlan(
  p: { plan: Plan; planId: string; ctx: JobContext; run: boolean },
  scheduled: boolean,
): Promise<Early | undefined> {
  const { plan, planId, ctx, run } = p;
  const skip = plan.refusals.find((r) => r.code === SHARE_NOT_UP);
  if (skip) {
    const report = await writePlanReport(plan, planId, ctx, { run, outcome: 'skipped', reason: skip.message });
    return {
      exitCode: EXIT_OK,
      data: { outcome: 'skipped', reason: skip.message, report },
      text: `mirror: skipped — ${skip.message}\nreport: ${report}`,
    };
  }
  if (plan.refusals.length > 0) return undefined;
  const action = MirrorActionSchema.parse(plan.actions[0]);
  const overLimit = action.overLimit;
  const report = await writePlanReport(plan, planId, ctx, {
    run: false,
    outcome: overLimit ? 'over-limit' : 'ok',
    reason: overLimit ? (plan.warnings.find((w) => w.startsWith(OVER_DELETE_LIMIT)) ?? null) : null,
  });
  if (!run) {
    return {
      exitCode: EXIT_OK,
      data: { outcome: overLimit ? 'over-limit' : 'ok', report },
      text: `${planText(mirrorJob, plan, planId, 'dry-run')}\nreport: ${report}`,
    };
  }
  if (!(scheduled && overLimit)) return undefined;
  // Unattended and over the limit: keep the plan for a human, do not apply it.
  const { record } = await savePlan(ctx.paths.stateDir, plan, {
    requestedBy: ctx.actor,
    requestedIn: 'schedule',
    ttlMs: ctx.config.YTM_PLAN_TTL_MIN * 60_000,
    now: ctx.now(),
  });
  const refusal = {
    code: OVER_DELETE_LIMIT,
    message: `the run would delete ${action.passes[0]?.planned.counts.deleted ?? 0} entries, over the unattended limit of ${action.limit.allowed}: not applied; plan ${planId.slice(0, 12)} awaits approval`,
  };
  await audit(ctx.paths.stateDir, 'job.refused', ctx.actor, planId, { refusals: [refusal], scheduled: true });
  return {
    exitCode: EXIT_REFUSED,
    data: {
      refused: true,
      refusals: [refusal],
      outcome: 'over-limit',
      report,
      state: record.state,
      expiresAt: record.expiresAt,
    },
    text: `mirror: REFUSED ${refusal.code}: ${refusal.message}\nreport: ${report}`,
  };
}

export async function mirrorCommand(cmd: ParsedCommand): Promise<number> {
  const scheduled = cmd.input.scheduled === true;
  return runJobCommand(
    mirrorJob,
    { bootstrapDest: cmd.input['bootstrap-dest'] === true },
    {
      json: cmd.json,
      events: cmd.events,
      yes: cmd.yes,
      run: cmd.input.run === true,
      afterPlan: (p) => afterPlan(p, scheduled),
    },
  );
}

// What the mirror command records from a plan before (or instead of) applying it: the dry run's report
// (`run:false`, the drift figure), or the report of a run skipped because the share is not up.
import type { Plan } from '../../lib/plan/types.js';
import { addCounts, emptyCounts } from '../../lib/rsync/itemize.js';
import { rsyncSettings } from '../../lib/rsync/settings.js';
import type { JobContext } from '../engine/types.js';
import { MirrorActionSchema } from './action.js';
import { freshStamp, type MirrorOutcome, writeMirrorReport } from './report.js';

function pre(plan: Plan, key: string): unknown {
  return plan.preconditions[key];
}

/** The report of a plan: its dry run (steps with counts), or a skip with its reason. */
export async function writePlanReport(
  plan: Plan,
  planId: string,
  ctx: JobContext,
  opts: { run: boolean; outcome: MirrorOutcome; reason: string | null },
): Promise<string> {
  const at = ctx.now();
  const action = MirrorActionSchema.safeParse(plan.actions[0]);
  const passes = action.success ? action.data.passes : [];
  const dest = String(pre(plan, 'dest') ?? ctx.paths.vaultRoot ?? '');
  return writeMirrorReport(ctx.paths, await freshStamp(ctx.paths, at), {
    run: opts.run,
    at,
    srcRoot: String(pre(plan, 'src') ?? ctx.paths.workspaceRoot),
    destRoot: dest,
    repoRoot: ctx.paths.repoRoot,
    sentinelExists: pre(plan, 'sentinel') === true,
    bootstrapDest: pre(plan, 'bootstrapDest') === true,
    settings: rsyncSettings(ctx.config),
    commands: passes.map((p, i) => ({
      name: p.name,
      ...(i > 0 ? { dest_dir: p.dest } : {}),
      enabled: true,
      cmd: p.planned.argv,
    })),
    steps: passes.map((p) => ({
      name: p.name,
      returncode: p.planned.returncode,
      duration_sec: p.planned.durationSec,
      outcome: p.planned.outcome,
      message: 'dry run (rsync -n)',
      counts: p.planned.counts,
    })),
    returncode: 0,
    counts: passes.reduce((c, p) => addCounts(c, p.planned.counts), emptyCounts()),
    outcome: opts.outcome,
    reason: opts.reason,
    planId,
    extra: {
      ...(pre(plan, 'share') !== undefined ? { share: pre(plan, 'share') } : {}),
      ...(action.success ? { delete_limit: action.data.limit, max_delete: action.data.maxDelete } : {}),
    },
  });
}

// `runs restore <archive_report.json>`' read-only plan (restore_video_runs, facts §4.15): every archived run
// back from `dest` to `src`, exactly, from either producer's format (`moves[]` or `moved[]`). Refused when a
// restore destination exists, when an archived copy is missing, or when a path leaves the workspace.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isInside, resolveInside } from '../../lib/fs/contain.js';
import { entryExists } from '../../lib/fs/exists.js';
import { blockingLocksForFile, readActiveLocks } from '../../lib/locks/coordination.js';
import type { JsonObject, JsonValue, Refusal } from '../../lib/plan/types.js';
import type { ArchiveAction } from '../archive/actions.js';
import { incompleteReports } from '../archive/ledger.js';
import { moveSummary, planMove } from '../archive/summary.js';
import { refusedDraft } from '../engine/refused.js';
import { stampOf } from '../engine/stamp.js';
import type { JobContext, PlanDraft } from '../engine/types.js';
import { archiveBase } from './archive-plan.js';
import type { RunsRestoreInput } from './input.js';

interface Archived {
  runId: string;
  from: string;
  to: string;
}

/** Run id per record as the predecessor read it: run_id, archived_run_id, then the last segment of dest or src. */
function recordsOf(report: unknown): Archived[] | null {
  const r = report as { moves?: unknown; moved?: unknown } | null;
  const list = Array.isArray(r?.moves) ? r.moves : Array.isArray(r?.moved) ? r.moved : null;
  if (!list) return null;
  const out: Archived[] = [];
  for (const m of list as Record<string, unknown>[]) {
    const src = typeof m?.src === 'string' ? m.src : null;
    const dest = typeof m?.dest === 'string' ? m.dest : null;
    if (!src || !dest) continue;
    const runId =
      [m.run_id, m.archived_run_id].find((v): v is string => typeof v === 'string' && v !== '') ?? path.basename(dest);
    out.push({ runId, from: dest, to: src });
  }
  return out;
}

export async function planRunsRestore(input: RunsRestoreInput, ctx: JobContext): Promise<PlanDraft> {
  const ws = ctx.paths.workspaceRoot;
  let reportPath: string;
  try {
    reportPath = await resolveInside(
      archiveBase(ctx),
      path.isAbsolute(input.report) ? input.report : path.resolve(ws, input.report),
    );
  } catch {
    return refusedDraft([
      { code: 'REPORT_OUTSIDE_ARCHIVE', message: `${input.report} is not inside ${archiveBase(ctx)}` },
    ]);
  }
  let records: Archived[] | null;
  try {
    records = recordsOf(JSON.parse(await readFile(reportPath, 'utf8')));
  } catch (err) {
    return refusedDraft([
      { code: 'REPORT_UNREADABLE', message: `cannot read ${reportPath}: ${(err as Error).message}` },
    ]);
  }
  if (!records)
    return refusedDraft([{ code: 'REPORT_UNREADABLE', message: `${reportPath} has neither moves[] nor moved[]` }]);
  const refusals: Refusal[] = [];
  const unknown = input.onlyRunIds.filter((id) => !records.some((r) => r.runId === id));
  for (const id of unknown) refusals.push({ code: 'UNKNOWN_RUN_ID', message: `${id} is not in ${reportPath}` });
  const wanted = input.onlyRunIds.length > 0 ? records.filter((r) => input.onlyRunIds.includes(r.runId)) : records;

  const locks = await readActiveLocks(ctx.paths.agentQueueDir, { now: ctx.now() });
  const report = path.join(path.dirname(reportPath), `restore_report_${stampOf(ctx.now())}.json`);
  const moves: ArchiveAction[] = [];
  const facts: JsonObject = {};
  for (const r of wanted) {
    if (!isInside(ws, r.from) || !isInside(ws, r.to)) {
      refusals.push({
        code: 'OUTSIDE_WORKSPACE',
        message: `${r.runId}: ${r.from} → ${r.to} leaves the workspace ${ws}`,
      });
      continue;
    }
    const [fromExists, toExists] = await Promise.all([entryExists(r.from), entryExists(r.to)]);
    facts[r.runId] = { fromExists, toExists };
    if (toExists) {
      refusals.push({
        code: 'DESTINATION_EXISTS',
        message: `${r.runId}: ${r.to} already exists; a restore never replaces anything`,
      });
      continue;
    }
    if (!fromExists) {
      refusals.push({ code: 'ARCHIVED_COPY_MISSING', message: `${r.runId}: the archived copy ${r.from} is not there` });
      continue;
    }
    for (const l of await blockingLocksForFile(ctx.paths.repoRoot, r.to, locks, { now: ctx.now() })) {
      refusals.push({
        code: 'LOCKED',
        message: `${r.runId}: ${r.to} is under coordination lock ${l.id} (by ${l.createdBy || '?'})`,
      });
    }
    const planned = await planMove(r.from, r.to, ctx);
    moves.push({
      op: 'move',
      key: r.runId,
      src: r.from,
      dest: r.to,
      report,
      kind: 'restore',
      label: r.runId,
      ...planned.size,
      sameDevice: planned.sameDevice,
    });
  }
  const content: JsonObject = {
    schema: 'ytm.video_runs_restore_report.v1',
    mode: 'run',
    report: reportPath,
    only_run_id: input.onlyRunIds,
    planned: wanted.map((r) => ({ run_id: r.runId, from: r.from, to: r.to })),
    restored: [],
    skipped: [],
    warnings: [],
    counts: {
      records: records.length,
      actions: moves.length,
      planned: wanted.length,
      restored: 0,
      skipped: 0,
      warnings: 0,
    },
    ytm_ops: { job: 'runs restore', complete: false },
  };
  const unfinished = await incompleteReports(path.dirname(reportPath), (n) => n.startsWith('restore_report_'), 0);
  const actions: ArchiveAction[] = [
    ...unfinished.map((f): ArchiveAction => ({ op: 'reconcile', report: f, kind: 'restore' })),
    ...(moves.length > 0
      ? [
          { op: 'report-open', report, content } as ArchiveAction,
          ...moves,
          { op: 'report-close', report, kind: 'restore' } as ArchiveAction,
        ]
      : []),
  ];
  return {
    preconditions: { report: reportPath, runs: facts, unfinishedReports: unfinished },
    actions: actions as unknown as JsonValue[],
    warnings: [],
    refusals,
    summary:
      moves.length === 0
        ? `runs restore: nothing to restore from ${reportPath}`
        : `runs restore: ${moves.length} run(s) back to video/runs from ${reportPath}: ${moveSummary(moves)}`,
  };
}

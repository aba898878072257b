// `runs archive`'s read-only plan (cleanup_video_runs, facts §4.14): per episode keep the selected run, `.keep`
// runs, the newest KEEP_LAST_RUNS, runs touched within KEEP_RECENT_MINUTES and locked runs; archive the rest to
// `video/_archive/<STAMP>/<CH>/runs/<run_id>` (unscoped: `_unscoped/runs/`, only with --all / --unscoped-only).
// Runs of unposted or frozen episodes are never moved (DESIGN safety rules).
import path from 'node:path';
import { readActiveLocks } from '../../lib/locks/coordination.js';
import type { JsonObject, JsonValue, Refusal } from '../../lib/plan/types.js';
import { splitEpisodeId } from '../../lib/planning/episode.js';
import {
  decideEpisodeRuns,
  decideUnscopedRun,
  KEEP_LAST_RUNS,
  KEEP_RECENT_MINUTES,
  type RunDecision,
  selectRun,
} from '../../lib/planning/runs.js';
import { readStatusJson } from '../../lib/planning/status.js';
import type { ArchiveAction } from '../archive/actions.js';
import { incompleteReports } from '../archive/ledger.js';
import { openStandings } from '../archive/standing.js';
import { moveSummary, planMove } from '../archive/summary.js';
import { stampOf } from '../engine/stamp.js';
import type { JobContext, PlanDraft } from '../engine/types.js';
import type { RunsArchiveInput } from './input.js';
import { type ScannedRun, scanRuns } from './scan.js';

export const archiveBase = (ctx: JobContext) => path.join(ctx.paths.workspaceRoot, 'video', '_archive');
export const RUNS_REPORT = 'archive_report.json';

type Skip = { run_id: string; episode: string | null; reason: string };

function inScope(input: RunsArchiveInput, episode: string | null): boolean {
  if (episode === null) return input.all || input.unscopedOnly;
  if (input.unscopedOnly) return false;
  if (input.all) return input.video === null || splitEpisodeId(episode)?.video === input.video;
  const parts = splitEpisodeId(episode);
  return parts?.channel === input.channel && (input.video === null || parts.video === input.video);
}

async function selectedRunOf(ctx: JobContext, episode: string, runs: ScannedRun[]): Promise<string | null> {
  const parts = splitEpisodeId(episode);
  const status = parts
    ? await readStatusJson(path.join(ctx.paths.workspaceRoot, 'scripts', parts.channel, parts.video, 'status.json'))
    : null;
  const videoRunId = status?.ok ? (status.status.metadata?.video_run_id ?? null) : null;
  const candidates = runs.map((r) => ({ runId: r.runId, mtimeMs: r.dirMtimeMs, hasDraftInfo: r.hasDraftInfo }));
  return selectRun(candidates, videoRunId).run?.runId ?? null;
}

export async function planRunsArchive(input: RunsArchiveInput, ctx: JobContext): Promise<PlanDraft> {
  const refusals: Refusal[] = [];
  const standings = await openStandings(ctx);
  for (const p of standings.problems)
    refusals.push({
      code: 'PLANNING_UNREADABLE',
      message: `${p}: posted and frozen episodes cannot be told apart, nothing is archived`,
    });
  const locks = await readActiveLocks(ctx.paths.agentQueueDir, { now: ctx.now() });
  const runs = (await scanRuns(ctx, locks)).filter((r) => inScope(input, r.episode));
  const nowMs = ctx.now().getTime();
  const byEpisode = new Map<string, ScannedRun[]>();
  for (const r of runs) if (r.episode) byEpisode.set(r.episode, [...(byEpisode.get(r.episode) ?? []), r]);

  const decisions = new Map<string, { run: ScannedRun; decision: RunDecision; selected: string | null }>();
  const episodes: JsonObject = {};
  for (const [episode, list] of [...byEpisode].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const selected = await selectedRunOf(ctx, episode, list);
    const standing = standings.of(episode);
    episodes[episode] = { posted: standing.posted, frozen: standing.frozen };
    for (const d of decideEpisodeRuns(list, selected, nowMs)) {
      const run = list.find((r) => r.runId === d.runId) as ScannedRun;
      // An unposted or frozen episode keeps every run: the safety rule comes before the cleanup policy.
      const guarded: RunDecision =
        d.archive && !standing.touchable
          ? { runId: d.runId, archive: false, reason: standing.frozen ? 'frozen' : 'unposted' }
          : d;
      decisions.set(d.runId, { run, decision: guarded, selected });
    }
  }
  for (const run of runs.filter((r) => r.episode === null)) {
    decisions.set(run.runId, { run, decision: decideUnscopedRun(run, nowMs), selected: null });
  }

  const stamp = stampOf(ctx.now());
  const archiveRoot = path.join(archiveBase(ctx), stamp);
  const report = path.join(archiveRoot, RUNS_REPORT);
  const pending: JsonObject[] = [];
  const moves: ArchiveAction[] = [];
  const skipped: Skip[] = [];
  for (const { run, decision, selected } of [...decisions.values()].sort((a, b) =>
    a.run.runId < b.run.runId ? -1 : 1,
  )) {
    if (!decision.archive) {
      skipped.push({ run_id: run.runId, episode: run.episode, reason: decision.reason });
      continue;
    }
    const channel = run.episode ? splitEpisodeId(run.episode)?.channel : null;
    const dest = path.join(archiveRoot, channel ?? '_unscoped', 'runs', run.runId);
    const planned = await planMove(run.dir, dest, ctx);
    if (planned.destExists)
      refusals.push({ code: 'DESTINATION_EXISTS', message: `${dest} already exists; nothing is moved onto it` });
    moves.push({
      op: 'move',
      key: run.runId,
      src: run.dir,
      dest,
      report,
      kind: 'runs',
      label: run.runId,
      ...planned.size,
      sameDevice: planned.sameDevice,
    });
    pending.push({
      run_id: run.runId,
      episode: run.episode,
      src: run.dir,
      dest,
      reason: decision.reason,
      selected_run_id: selected,
      has_capcut_draft: run.hasDraftLink,
      capcut_draft_target: run.draftTarget,
      capcut_draft_target_exists: run.hasDraftLink,
      draft_info_mtime: run.draftInfoMtimeMs / 1000,
      activity_mtime: run.activityMtimeMs / 1000,
    });
  }

  const count = (reason: string) => skipped.filter((s) => s.reason === reason).length;
  const locked = skipped.filter((s) => s.reason === 'locked').map((s) => s.run_id);
  const content: JsonObject = {
    schema: 'ytm.video_runs_cleanup_report.v1',
    generated_at: ctx
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    mode: 'run',
    filters: {
      all: input.all,
      channels: input.channel ? [input.channel] : [],
      videos: input.video ? [input.video] : [],
      include_hidden_runs: false,
      exclude_run_globs: [],
    },
    policy: {
      keep_recent_minutes: KEEP_RECENT_MINUTES,
      keep_last_runs: KEEP_LAST_RUNS,
      archive_unscoped: input.all || input.unscopedOnly,
      archive_unscoped_legacy: input.all || input.unscopedOnly,
      unscoped_only: input.unscopedOnly,
      respect_locks: true,
    },
    archive_root: archiveRoot,
    counters: {
      runs_total: runs.length,
      runs_scoped: runs.filter((r) => r.episode !== null).length,
      runs_unscoped: runs.filter((r) => r.episode === null).length,
      episodes: byEpisode.size,
      planned_moves: moves.length,
      skipped_recent: count('recent'),
      skipped_keep: count('selected') + count('keep_marker') + count('keep_last'),
      skipped_locked: locked.length,
      skipped_unposted: count('unposted') + count('frozen'),
      warnings: 0,
    },
    skipped_locked: locked.slice(0, 500),
    skipped_locked_truncated: locked.length > 500,
    skipped: skipped as unknown as JsonValue,
    warnings: [],
    moves: [],
    pending,
    ytm_ops: { job: 'runs archive', complete: false },
  };

  const unfinished = await incompleteReports(archiveBase(ctx), (n) => n === RUNS_REPORT, 1);
  const actions: ArchiveAction[] = [
    ...unfinished.map((r): ArchiveAction => ({ op: 'reconcile', report: r, kind: 'runs' })),
    ...(moves.length > 0
      ? [
          { op: 'report-open', report, content } as ArchiveAction,
          ...moves,
          { op: 'report-close', report, kind: 'runs' } as ArchiveAction,
        ]
      : []),
  ];
  const kept = ['selected', 'keep_marker', 'keep_last', 'recent', 'locked', 'unposted', 'frozen', 'unscoped_unknown']
    .map((r) => [r, count(r)] as const)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
  const scope = input.all
    ? 'every channel'
    : input.unscopedOnly
      ? 'unscoped runs'
      : `${input.channel}${input.video ? `-${input.video}` : ''}`;
  return {
    preconditions: {
      episodes,
      runs: Object.fromEntries([...decisions].map(([id, d]) => [id, d.decision.reason])),
      locks: [...new Set(runs.flatMap((r) => r.lockIds))].sort(),
      unfinishedReports: unfinished,
    },
    actions: actions as unknown as JsonValue[],
    warnings: [],
    refusals,
    summary:
      moves.length === 0
        ? `runs archive (${scope}): nothing to archive${kept ? ` (kept: ${kept})` : ''}`
        : `runs archive (${scope}): archive ${moves.length} run(s) to ${archiveRoot}: ${moveSummary(moves)}${kept ? `; kept: ${kept}` : ''}`,
  };
}

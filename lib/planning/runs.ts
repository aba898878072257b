// Which `video/runs/<run_id>` belongs to an episode (facts §4.7, §4.8, §7 "run selection differs").

import { episodeFromRunName } from './episode.js';

export interface RunCandidate {
  runId: string;
  mtimeMs: number;
  hasDraftInfo: boolean;
}

export interface RunSelection {
  run: RunCandidate | null;
  via: 'video_run_id' | 'ranking' | null;
  /** status.json named a run that is not among the candidates (worth a warning). */
  videoRunIdMissing: boolean;
}

/** Python tuple order of hot_assets_doctor: (hasDraftInfo, mtime, runId), highest first. */
export function compareRuns(a: RunCandidate, b: RunCandidate): number {
  if (a.hasDraftInfo !== b.hasDraftInfo) return a.hasDraftInfo ? -1 : 1;
  if (a.mtimeMs !== b.mtimeMs) return b.mtimeMs - a.mtimeMs;
  // Plain code-unit comparison, not localeCompare, to match Python's str ordering.
  if (a.runId === b.runId) return 0;
  return a.runId < b.runId ? 1 : -1;
}

/**
 * status.json `video_run_id` first (the integrity doctor's rule) when it names one of the
 * candidates; otherwise the predecessor's ranking. `candidates` are this episode's runs.
 */
export function selectRun(candidates: readonly RunCandidate[], videoRunId?: string | null): RunSelection {
  const wanted = videoRunId?.trim() || null;
  if (wanted) {
    // Run ids come from disk (NFD on macOS), video_run_id from JSON: compared in NFC.
    const named = candidates.find((c) => c.runId.normalize('NFC') === wanted.normalize('NFC'));
    if (named) return { run: named, via: 'video_run_id', videoRunIdMissing: false };
  }
  const [best] = [...candidates].sort(compareRuns);
  return { run: best ?? null, via: best ? 'ranking' : null, videoRunIdMissing: wanted !== null };
}

export interface RunGroups {
  /** `CHxx-NNN` → run ids, in input order. */
  byEpisode: Map<string, string[]>;
  /** Names with no episode (`192`, `api_*`, `default`, `CH02_20251211_…`). */
  unscoped: string[];
}

/** Group run directory names by episode; names starting with `_` or `.` are skipped entirely. */
export function groupRunsByEpisode(runIds: Iterable<string>): RunGroups {
  const byEpisode = new Map<string, string[]>();
  const unscoped: string[] = [];
  for (const runId of runIds) {
    if (runId.startsWith('_') || runId.startsWith('.')) continue;
    const episode = episodeFromRunName(runId);
    if (!episode) {
      unscoped.push(runId);
      continue;
    }
    const list = byEpisode.get(episode);
    if (list) list.push(runId);
    else byEpisode.set(episode, [runId]);
  }
  return { byEpisode, unscoped };
}

// ---- Archiving extra runs (cleanup_video_runs, facts §4.14) ------------------------------------------------

/** Runs touched within this many minutes are never archived (the predecessor's `--keep-recent-minutes`). */
export const KEEP_RECENT_MINUTES = 360;
/** The newest runs of each episode kept in place (the predecessor's `--keep-last-runs`). */
export const KEEP_LAST_RUNS = 2;

/** What the cleanup decision needs to know about one run directory. */
export interface CleanupRun {
  runId: string;
  /** `capcut_draft` is a link whose target exists. */
  hasDraftLink: boolean;
  /** mtime of `capcut_draft_info.json`, 0 without one. */
  draftInfoMtimeMs: number;
  /** The newest of the directory, timeline_manifest.json, image_cues.json, capcut_draft_info.json and images/. */
  activityMtimeMs: number;
  /** A `.keep` marker: a person protected the run. */
  keepMarker: boolean;
  /** Active coordination locks that cover the run directory. */
  lockIds: string[];
}

// `unposted` and `frozen` are set by the archive jobs: the safety rule comes before the cleanup policy.
export type RunKeepReason =
  | 'selected'
  | 'keep_marker'
  | 'keep_last'
  | 'recent'
  | 'locked'
  | 'unscoped_unknown'
  | 'unposted'
  | 'frozen';
export type RunMoveReason = 'episode_unselected' | 'unscoped_definite' | 'unscoped_legacy';

export type RunDecision =
  | { runId: string; archive: true; reason: RunMoveReason }
  | { runId: string; archive: false; reason: RunKeepReason };

/** The cleanup order, newest first: (working draft link, draft info mtime, activity mtime, run id). */
export function compareRunsForCleanup(a: CleanupRun, b: CleanupRun): number {
  if (a.hasDraftLink !== b.hasDraftLink) return a.hasDraftLink ? -1 : 1;
  if (a.draftInfoMtimeMs !== b.draftInfoMtimeMs) return b.draftInfoMtimeMs - a.draftInfoMtimeMs;
  if (a.activityMtimeMs !== b.activityMtimeMs) return b.activityMtimeMs - a.activityMtimeMs;
  if (a.runId === b.runId) return 0;
  return a.runId < b.runId ? 1 : -1;
}

const isRecent = (run: CleanupRun, nowMs: number) => nowMs - run.activityMtimeMs < KEEP_RECENT_MINUTES * 60_000;

/**
 * One episode's runs: which move to the archive and why the others stay. A run stays for the first reason that
 * applies, in this order: it is the selected run (`selectRun`, the doctor's choice), it has `.keep`, it is among
 * the newest KEEP_LAST_RUNS, it was touched within KEEP_RECENT_MINUTES, it is under a coordination lock.
 */
export function decideEpisodeRuns(
  runs: readonly CleanupRun[],
  selectedRunId: string | null,
  nowMs: number,
): RunDecision[] {
  const newest = new Set(
    [...runs]
      .sort(compareRunsForCleanup)
      .slice(0, KEEP_LAST_RUNS)
      .map((r) => r.runId),
  );
  return runs.map((run): RunDecision => {
    const { runId } = run;
    if (runId === selectedRunId) return { runId, archive: false, reason: 'selected' };
    if (run.keepMarker) return { runId, archive: false, reason: 'keep_marker' };
    if (newest.has(runId)) return { runId, archive: false, reason: 'keep_last' };
    if (isRecent(run, nowMs)) return { runId, archive: false, reason: 'recent' };
    if (run.lockIds.length > 0) return { runId, archive: false, reason: 'locked' };
    return { runId, archive: true, reason: 'episode_unselected' };
  });
}

const DEFINITE_PREFIXES = ['_tmp', 'tmp_', '_failed', 'failed_', '.tmp', '_test', 'test_', 'debug_', '_debug'];
const LEGACY_PATTERNS = [
  /^\d{3}$/,
  /^\d{3}_\d{8}_\d{6}$/,
  /^default$/,
  /^ui/,
  /^grouped_/,
  /^grouped-demo/,
  /^api_/,
  /^jinsei/,
  /^CH\d{2}\D+\d{3}/,
  /^CH\d{2}-$/,
];

/** The predecessor's unscoped classes: definite trash, a legacy naming pattern, or neither (kept). */
export function unscopedKind(runId: string): 'definite' | 'legacy' | null {
  const lower = runId.toLowerCase();
  if (DEFINITE_PREFIXES.some((p) => lower.startsWith(p))) return 'definite';
  if (lower.startsWith('_') && /test|smoke|logtest|remotion/.test(lower)) return 'definite';
  if (/^ch\d{2}$/.test(lower)) return 'definite';
  if (LEGACY_PATTERNS.some((re) => re.test(runId))) return 'legacy';
  return null;
}

/** An unscoped run (no episode): `.keep`, recent and locked runs stay; so does a name of no known class. */
export function decideUnscopedRun(run: CleanupRun, nowMs: number): RunDecision {
  const { runId } = run;
  if (run.keepMarker) return { runId, archive: false, reason: 'keep_marker' };
  if (isRecent(run, nowMs)) return { runId, archive: false, reason: 'recent' };
  if (run.lockIds.length > 0) return { runId, archive: false, reason: 'locked' };
  const kind = unscopedKind(runId);
  if (!kind) return { runId, archive: false, reason: 'unscoped_unknown' };
  return { runId, archive: true, reason: kind === 'definite' ? 'unscoped_definite' : 'unscoped_legacy' };
}

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

// Which episode a workspace file belongs to, from the folder it lives in or else its name, so that the
// unposted guard applies even when `--episode` is not given (the predecessor's loophole, facts §4.10).
// Callers pass the real path's comparison key (lib/fs/real-path.ts): on a case-insensitive volume
// `Audio/Final/…` arrives as `audio/final/…`.
import path from 'node:path';
import { episodeFromDraftName, episodeFromRunName, formatEpisodeId } from '../../lib/planning/episode.js';

/** Run id when the path is inside `video/runs/<run_id>/…`: judged on `key`, spelled as in `rel`. */
export function runIdOf(key: string, rel: string = key): string | null {
  const p = key.split('/');
  return p[0] === 'video' && p[1] === 'runs' && p[2] && p.length > 3 ? (rel.split('/')[2] ?? null) : null;
}

function fromFolders(key: string): string | null {
  const p = key.split('/');
  const fromParts = (ch: string | undefined, no: string | undefined) => (ch && no ? formatEpisodeId(ch, no) : null);
  if (p[0] === 'scripts' || p[0] === 'episodes') return p.length > 3 ? fromParts(p[1], p[2]) : null;
  if (p[0] === 'audio' && p[1] === 'final') return p.length > 4 ? fromParts(p[2], p[3]) : null;
  if (p[0] === 'thumbnails' && p[1] === 'assets') return p.length > 4 ? fromParts(p[2], p[3]) : null;
  const run = runIdOf(key);
  return run ? episodeFromRunName(run) : null;
}

/**
 * `scripts/CHxx/NNN/…`, `audio/final/CHxx/NNN/…`, `thumbnails/assets/CHxx/NNN/…`, `episodes/CHxx/NNN/…`,
 * `video/runs/CHxx-NNN_*` → `CHxx-NNN`; elsewhere a file name containing `CHxx-NNN` (hyphen required, as in
 * draft names, so `CH02_20251211_…` is a date, not CH02-202); otherwise null.
 */
export function inferEpisode(key: string): string | null {
  return fromFolders(key) ?? episodeFromDraftName(path.posix.basename(key));
}

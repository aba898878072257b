// Which episode a workspace file belongs to, from the folder it lives in, so that the unposted guard applies
// even when `--episode` is not given (the predecessor's loophole, facts §4.10).
import { episodeFromRunName, formatEpisodeId } from '../../lib/planning/episode.js';

/** Run id when the path is inside `video/runs/<run_id>/…`. */
export function runIdOf(workspaceRel: string): string | null {
  const p = workspaceRel.split('/');
  return p[0] === 'video' && p[1] === 'runs' && p[2] && p.length > 3 ? p[2] : null;
}

/**
 * `scripts/CHxx/NNN/…`, `audio/final/CHxx/NNN/…`, `thumbnails/assets/CHxx/NNN/…`, `episodes/CHxx/NNN/…`,
 * `video/runs/CHxx-NNN_*` → `CHxx-NNN`; otherwise null.
 */
export function inferEpisode(workspaceRel: string): string | null {
  const p = workspaceRel.split('/');
  const fromParts = (ch: string | undefined, no: string | undefined) =>
    ch && no && p.length > 0 ? formatEpisodeId(ch, no) : null;
  if (p[0] === 'scripts' || p[0] === 'episodes') return p.length > 3 ? fromParts(p[1], p[2]) : null;
  if (p[0] === 'audio' && p[1] === 'final') return p.length > 4 ? fromParts(p[2], p[3]) : null;
  if (p[0] === 'thumbnails' && p[1] === 'assets') return p.length > 4 ? fromParts(p[2], p[3]) : null;
  const run = runIdOf(workspaceRel);
  return run ? episodeFromRunName(run) : null;
}

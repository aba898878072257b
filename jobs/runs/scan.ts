// The facts about every `video/runs/<run_id>` that the archive decision needs (facts §4.14): activity time,
// `.keep`, draft link and draft info, coordination locks. A draft link into the share is never stat'ed (a hung
// share would block): it counts as not working, as the doctor classifies such paths by prefix.
import { readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../../lib/fs/contain.js';
import { lstatOrNull } from '../../lib/fs/exists.js';
import { blockingLocksForFile, type CoordinationLock } from '../../lib/locks/coordination.js';
import { type CleanupRun, groupRunsByEpisode } from '../../lib/planning/runs.js';
import type { JobContext } from '../engine/types.js';

export interface ScannedRun extends CleanupRun {
  dir: string;
  episode: string | null;
  dirMtimeMs: number;
  hasDraftInfo: boolean;
  draftTarget: string | null;
}

const ACTIVITY_FILES = ['timeline_manifest.json', 'image_cues.json', 'capcut_draft_info.json', 'images'];

export const runsRoot = (ctx: JobContext) => path.join(ctx.paths.workspaceRoot, 'video', 'runs');

async function scanOne(
  ctx: JobContext,
  dir: string,
  runId: string,
  episode: string | null,
  locks: readonly CoordinationLock[],
): Promise<ScannedRun | null> {
  const st = await lstatOrNull(dir);
  if (!st?.isDirectory()) return null; // a link or a file among the runs is not a run directory
  const [parts, keep, link, lockHits] = await Promise.all([
    Promise.all(ACTIVITY_FILES.map((n) => lstatOrNull(path.join(dir, n)))),
    lstatOrNull(path.join(dir, '.keep')),
    lstatOrNull(path.join(dir, 'capcut_draft')),
    blockingLocksForFile(ctx.paths.repoRoot, dir, locks, { now: ctx.now() }),
  ]);
  const info = parts[2] ?? null;
  let draftTarget: string | null = null;
  let hasDraftLink = false;
  if (link?.isSymbolicLink()) {
    draftTarget = await readlink(path.join(dir, 'capcut_draft')).catch(() => null);
    const onShare =
      draftTarget !== null &&
      ctx.paths.sharedRoot !== null &&
      isInside(ctx.paths.sharedRoot, path.resolve(dir, draftTarget));
    hasDraftLink =
      !onShare &&
      (await stat(path.join(dir, 'capcut_draft')).then(
        () => true,
        () => false,
      ));
  }
  return {
    runId,
    dir,
    episode,
    dirMtimeMs: st.mtimeMs,
    hasDraftInfo: info?.isFile() === true,
    draftTarget,
    hasDraftLink,
    draftInfoMtimeMs: info?.isFile() ? info.mtimeMs : 0,
    activityMtimeMs: Math.max(st.mtimeMs, ...parts.map((p) => p?.mtimeMs ?? 0)),
    keepMarker: keep !== null,
    lockIds: lockHits.map((l) => l.id),
  };
}

/** Every run directory (names starting with `_` or `.` are hidden and never considered), with its facts. */
export async function scanRuns(ctx: JobContext, locks: readonly CoordinationLock[]): Promise<ScannedRun[]> {
  const root = runsRoot(ctx);
  const names = await readdir(root).catch(() => [] as string[]);
  const groups = groupRunsByEpisode(names.sort());
  const named: [string, string | null][] = [
    ...[...groups.byEpisode].flatMap(([ep, ids]) => ids.map((id): [string, string | null] => [id, ep])),
    ...groups.unscoped.map((id): [string, string | null] => [id, null]),
  ];
  const out = await Promise.all(named.map(([id, ep]) => scanOne(ctx, path.join(root, id), id, ep, locks)));
  return out.filter((r): r is ScannedRun => r !== null);
}

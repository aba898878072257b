// Sizing a planned change and saying what it does to free space: a rename on one disk moves bytes and frees
// none; a delete frees them; a move to another disk frees them where they were.
import { entryExists } from '../../lib/fs/exists.js';
import { formatBytes } from '../engine/output.js';
import type { JobContext } from '../engine/types.js';
import type { ArchiveAction } from './actions.js';
import { sameDevice, type TreeSize, treeSize } from './tree.js';

/** Sizes feed the card only, not the preconditions: the engine's re-check before the apply (`recheck`) skips them. */
export async function planMove(
  src: string,
  dest: string,
  ctx: Pick<JobContext, 'recheck'>,
): Promise<{ size: TreeSize; sameDevice: boolean; destExists: boolean }> {
  const [same, destExists] = await Promise.all([sameDevice(src, dest), entryExists(dest)]);
  const size = ctx.recheck ? { bytes: 0, entries: 0 } : treeSize(src);
  return { size, sameDevice: same, destExists };
}

/** "1.2 GiB moved by rename on the same disk (frees nothing), 300 MiB freed" */
export function moveSummary(actions: readonly ArchiveAction[]): string {
  let moved = 0;
  let freed = 0;
  for (const a of actions) {
    if (a.op === 'move' && a.sameDevice) moved += a.bytes;
    else if (a.op === 'move' || a.op === 'delete') freed += a.bytes;
  }
  const parts = [];
  if (moved > 0 || freed === 0) parts.push(`${formatBytes(moved)} moved by rename on the same disk (frees nothing)`);
  if (freed > 0) parts.push(`${formatBytes(freed)} freed`);
  return parts.join(', ');
}

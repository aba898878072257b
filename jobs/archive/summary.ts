// Sizing a planned change and saying what it does to free space: a rename on one disk moves bytes and frees
// none; a delete frees them; a move to another disk frees them where they were.
import { entryExists } from '../../lib/fs/exists.js';
import { formatBytes } from '../engine/output.js';
import type { ArchiveAction } from './actions.js';
import { sameDevice, type TreeSize, treeSize } from './tree.js';

export async function planMove(
  src: string,
  dest: string,
): Promise<{ size: TreeSize; sameDevice: boolean; destExists: boolean }> {
  const [size, same, destExists] = await Promise.all([treeSize(src), sameDevice(src, dest), entryExists(dest)]);
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

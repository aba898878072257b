// Is this "copy" the very file it was copied from? A source must never be removed or replaced because its
// copy verified "equal" when the copy is the source itself (an upload root configured inside the workspace, a
// hard link, a folder symlink). Device + inode decide on local disks; FUSE/SMB clients hand out their own inode
// numbers, so the real paths are compared as well, case-insensitively (the Mac's volumes and SMB are).
import { realpath, stat } from 'node:fs/promises';
import { codedError } from './errors.js';

/** True when `a` and `b` name the same file (same device and inode, or the same real path ignoring case). */
export async function isSameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a, { bigint: true }), stat(b, { bigint: true })]);
  if (sa.dev === sb.dev && sa.ino === sb.ino) return true;
  const [ra, rb] = await Promise.all([realpath(a), realpath(b)]);
  return ra.toLowerCase() === rb.toLowerCase();
}

/** Throws 'ESAMEFILE' when `src` is `copy` itself: removing or replacing it would destroy the only copy. */
export async function assertNotSameFile(src: string, copy: string): Promise<void> {
  if (await isSameFile(src, copy)) {
    throw codedError(
      'ESAMEFILE',
      `the copy ${copy} is the source file itself (same file reached by another path); the source was left in place`,
      src,
    );
  }
}

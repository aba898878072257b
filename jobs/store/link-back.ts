import { lstat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, swapSymlink } from '../../lib/fs/atomic.js';
import { codedError } from '../../lib/fs/errors.js';
import { assertNotSameFile } from '../../lib/fs/same-file.js';
import { forgetHash } from '../engine/hash-cache.js';

async function assertUnchanged(src: string, size: number, mtimeMs: number): Promise<void> {
  const st = await lstat(src);
  if (!st.isFile() || st.size !== size || st.mtimeMs !== mtimeMs) {
    throw codedError('ECHANGED', `the source changed after it was copied; left in place: ${src}`, src);
  }
}

/**
 * Atomically replace `src` by a symlink to `target`: link at a temp name in the same folder, rename over.
 * Refused ('ESAMEFILE') when `target` is `src` itself under another path.
 */
export async function replaceWithSymlink(src: string, target: string, size: number, mtimeMs: number): Promise<void> {
  await assertUnchanged(src, size, mtimeMs);
  await assertNotSameFile(src, target);
  await swapSymlink(src, target);
  forgetHash(src);
}

/**
 * Remove the source once `copy` holds it (never follows a link: `unlink` removes the entry itself). Refused
 * ('ESAMEFILE') when `copy` is `src` itself under another path: that would delete the only copy.
 */
export async function removeSource(src: string, copy: string, size: number, mtimeMs: number): Promise<void> {
  await assertUnchanged(src, size, mtimeMs);
  await assertNotSameFile(src, copy);
  await unlink(src);
  forgetHash(src);
  await fsyncDir(path.dirname(src));
}

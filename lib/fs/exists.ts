import { lstat } from 'node:fs/promises';
import { errCode } from './errors.js';

/**
 * Whether a directory entry exists under this name (lstat: a dangling symlink counts). Only ENOENT means "no";
 * any other error is thrown, so a permission or I/O problem is never mistaken for a free name.
 */
export async function entryExists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (err) {
    if (errCode(err) === 'ENOENT') return false;
    throw err;
  }
}

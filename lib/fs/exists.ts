import type { Stats } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
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

async function statUnlessMissing(p: string, how: typeof stat): Promise<Stats | null> {
  try {
    return await how(p);
  } catch (err) {
    const code = errCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/** stat(2), or null when nothing is there (ENOENT/ENOTDIR); any other error is thrown. */
export function statOrNull(p: string): Promise<Stats | null> {
  return statUnlessMissing(p, stat);
}

/** lstat(2), or null when nothing is there (ENOENT/ENOTDIR); any other error is thrown. */
export function lstatOrNull(p: string): Promise<Stats | null> {
  return statUnlessMissing(p, lstat);
}

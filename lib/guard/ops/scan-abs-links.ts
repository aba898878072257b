import type { Dirent } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../../fs/contain.js';
import type { AbsLink, ScanAbsLinksResult } from '../ops.js';

function errText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}: ${e.message}` : String(err);
}

/**
 * Finds symlinks whose stored target is absolute under `root/<dir>` for each dir (relative to root). Never follows
 * links. Depth works like `find -maxdepth`: 1 = the dir's own entries, 2 = also their subdirectories' entries, …;
 * 0 = only the dir itself (which is reported when it is itself an absolute link).
 */
export async function scanAbsLinksOp(
  root: string,
  dirs: readonly string[],
  depth: number,
): Promise<ScanAbsLinksResult> {
  const absRoot = path.resolve(root);
  const links: AbsLink[] = [];
  const errors: ScanAbsLinksResult['errors'] = [];
  let scanned = 0;

  const checkLink = async (abs: string): Promise<void> => {
    const target = await readlink(abs);
    if (path.isAbsolute(target)) links.push({ path: path.relative(absRoot, abs), target });
  };

  const walk = async (abs: string, level: number): Promise<void> => {
    if (level >= depth) return;
    let entries: Dirent[];
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (err) {
      errors.push({ path: path.relative(absRoot, abs) || '.', error: errText(err) });
      return;
    }
    for (const e of entries) {
      scanned++;
      const child = path.join(abs, e.name);
      try {
        if (e.isSymbolicLink()) await checkLink(child);
        else if (e.isDirectory()) await walk(child, level + 1);
      } catch (err) {
        errors.push({ path: path.relative(absRoot, child), error: errText(err) });
      }
    }
  };

  for (const dir of dirs) {
    const abs = path.resolve(absRoot, dir);
    const rel = path.relative(absRoot, abs);
    if (path.isAbsolute(dir) || !isInside(absRoot, abs)) {
      errors.push({ path: dir, error: 'refused: dir must be relative to root and stay inside it' });
      continue;
    }
    try {
      const st = await lstat(abs);
      if (st.isSymbolicLink()) {
        scanned++;
        await checkLink(abs);
        continue;
      }
      if (!st.isDirectory()) {
        errors.push({ path: rel || '.', error: 'not a directory' });
        continue;
      }
    } catch (err) {
      errors.push({ path: rel || '.', error: errText(err) });
      continue;
    }
    await walk(abs, 0);
  }
  links.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { links, scanned, errors };
}

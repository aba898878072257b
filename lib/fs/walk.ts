// Component-by-component path resolution (what realpath(3) does), with two extras the callers need:
// a missing tail is reported instead of failing, and a guard can stop the walk BEFORE a path is touched
// (a hung SMB share blocks lstat forever, so "do not even look" must be decided lexically, up front).
import type { Stats } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { isAbsolute, join, parse, resolve, sep } from 'node:path';
import { codedError, errCode } from './errors.js';

export type WalkResult =
  /** Every component exists; `path` is the physical path (no symlinks left). */
  | { status: 'exists'; path: string }
  /** A component is missing; `path` is the physical prefix plus the remaining (lexical) tail. */
  | { status: 'missing'; path: string }
  /** The guard matched `path` before it was touched. */
  | { status: 'stopped'; path: string };

const MAX_HOPS = 40; // same order as the kernel's MAXSYMLINKS

function parts(p: string): string[] {
  return p.split(sep).filter((s) => s !== '' && s !== '.');
}

/**
 * Resolve `p` following symlinks. `p` itself is first normalised lexically (path.resolve); `..` inside
 * symlink targets follows kernel semantics (it applies to the physical directory reached so far).
 * `stopAt(candidate)` is called before each path is lstat'ed; returning true ends the walk with 'stopped'.
 * Throws an error with code 'ELOOP' after too many links; other lstat/readlink errors are rethrown.
 */
export async function walkPhysical(p: string, opts?: { stopAt?: (candidate: string) => boolean }): Promise<WalkResult> {
  const abs = resolve(p);
  const fsRoot = parse(abs).root;
  const queue = parts(abs.slice(fsRoot.length));
  let cur = fsRoot;
  let hops = 0;
  if (opts?.stopAt?.(cur)) return { status: 'stopped', path: cur };
  while (queue.length > 0) {
    const comp = queue.shift() as string;
    if (comp === '..') {
      cur = resolve(cur, '..');
      continue;
    }
    const next = join(cur, comp);
    if (opts?.stopAt?.(next)) return { status: 'stopped', path: next };
    let st: Stats;
    try {
      st = await lstat(next);
    } catch (err) {
      const code = errCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing', path: resolve(next, ...queue) };
      throw err;
    }
    if (st.isSymbolicLink()) {
      hops += 1;
      if (hops > MAX_HOPS) {
        throw codedError('ELOOP', `too many levels of symbolic links: ${p}`, p);
      }
      const target = await readlink(next);
      if (isAbsolute(target)) cur = parse(resolve(target)).root;
      queue.unshift(...parts(isAbsolute(target) ? target.slice(parse(target).root.length) : target));
      continue;
    }
    cur = next;
  }
  return { status: 'exists', path: cur };
}

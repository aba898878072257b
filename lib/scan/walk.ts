import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

// A breadth-first directory walk that never follows symlinked directories (like `find` without -L) and keeps
// a bounded number of readdir calls in flight. It reports every symlink it meets; callers decide what to
// stat, because a symlink may point into a share that hangs.

export interface WalkResult {
  /** Absolute paths of every symlink found. */
  links: string[];
  /** Files, directories and links seen (the root excluded). */
  entries: number;
  errors: { path: string; message: string }[];
}

export interface WalkOptions {
  concurrency?: number;
  /** Called for each directory read, with its entries (used to learn a run folder's contents in the same pass). */
  onDirectory?: (dir: string, entries: Dirent[]) => void;
  signal?: AbortSignal;
}

export async function walkSymlinks(root: string, opts: WalkOptions = {}): Promise<WalkResult> {
  const result: WalkResult = { links: [], entries: 0, errors: [] };
  const queue: string[] = [root];
  const concurrency = opts.concurrency ?? 16;
  let active = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (opts.signal?.aborted) {
        queue.length = 0;
      }
      while (active < concurrency && queue.length > 0) {
        const dir = queue.pop() as string;
        active += 1;
        readdir(dir, { withFileTypes: true })
          .then((entries) => {
            opts.onDirectory?.(dir, entries);
            result.entries += entries.length;
            // Plain concatenation: path.join on every one of ~200k entries was the walk's largest cost, and
            // only links and directories need a path at all.
            const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
            for (const e of entries) {
              if (e.isSymbolicLink()) result.links.push(prefix + e.name);
              else if (e.isDirectory()) queue.push(prefix + e.name);
            }
          })
          .catch((err: NodeJS.ErrnoException) => {
            // A missing area is not an error worth reporting; anything else is (permissions, I/O).
            if (!(dir === root && err.code === 'ENOENT')) result.errors.push({ path: dir, message: err.message });
          })
          .finally(() => {
            active -= 1;
            if (active === 0 && queue.length === 0) resolve();
            else pump();
          });
      }
      if (active === 0 && queue.length === 0) resolve();
    };
    pump();
  });
  return result;
}

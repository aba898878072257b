// Sizes of what an archive plan moves or deletes: bytes and entries of a tree, walked without following links
// (a link is counted as an entry of 0 bytes: removing it frees nothing where its target lives).
import type { Dirent } from 'node:fs';
import { lstatSync, readdirSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { existingAncestor } from '../store/facts.js';

export interface TreeSize {
  bytes: number;
  entries: number;
}

/**
 * Synchronous on purpose: archive trees are local folders of thousands of small files, and one promise per lstat
 * costs about four times the walk itself. The only sources on the share are export files (a single lstat, which
 * would hang as long asynchronously); `--run` and the bot plan in children stopped at their time limit.
 */
export function treeSize(p: string): TreeSize {
  const st = lstatSync(p);
  if (!st.isDirectory()) return { bytes: st.isFile() ? st.size : 0, entries: 1 };
  let bytes = 0;
  let entries = 1;
  const pending = [p];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let names: Dirent[];
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable subfolder: its bytes are not counted, the move still takes it along
    }
    for (const d of names) {
      entries += 1;
      const f = path.join(dir, d.name);
      if (d.isDirectory()) pending.push(f);
      else if (d.isFile()) bytes += lstatSync(f, { throwIfNoEntry: false })?.size ?? 0;
    }
  }
  return { bytes, entries };
}

/** Whether moving `src` to `dest` is a rename on one device (frees nothing) or a copy to another disk. */
export async function sameDevice(src: string, dest: string): Promise<boolean> {
  const [a, b] = await Promise.all([lstat(src), lstat(await existingAncestor(dest))]);
  return a.dev === b.dev;
}

// Sizes of what an archive plan moves or deletes: bytes and entries of a tree, walked without following links
// (a link is counted as an entry of 0 bytes: removing it frees nothing where its target lives).
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { existingAncestor } from '../store/facts.js';

export interface TreeSize {
  bytes: number;
  entries: number;
}

export async function treeSize(p: string): Promise<TreeSize> {
  const st = await lstat(p);
  if (!st.isDirectory()) return { bytes: st.isFile() ? st.size : 0, entries: 1 };
  let bytes = 0;
  let entries = 1;
  const pending = [p];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let names: Dirent[];
    try {
      names = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable subfolder: its bytes are not counted, the move still takes it along
    }
    const files: string[] = [];
    for (const d of names) {
      entries += 1;
      if (d.isDirectory()) pending.push(path.join(dir, d.name));
      else if (d.isFile()) files.push(path.join(dir, d.name));
    }
    const sizes = await Promise.all(
      files.map((f) =>
        lstat(f).then(
          (s) => s.size,
          () => 0,
        ),
      ),
    );
    for (const s of sizes) bytes += s;
  }
  return { bytes, entries };
}

/** Whether moving `src` to `dest` is a rename on one device (frees nothing) or a copy to another disk. */
export async function sameDevice(src: string, dest: string): Promise<boolean> {
  const [a, b] = await Promise.all([lstat(src), lstat(await existingAncestor(dest))]);
  return a.dev === b.dev;
}

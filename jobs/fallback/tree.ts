// A local folder's content as a fingerprint: every entry (files with size and mtime, folders, links with their
// target), sorted, never following links. Used to plan a copy and to check, before removing a folder, that it
// holds exactly what the plan looked at.
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';

export type TreeEntry =
  | { rel: string; type: 'file'; size: number; mtimeMs: number }
  | { rel: string; type: 'dir' }
  | { rel: string; type: 'link'; target: string };

export async function listTree(root: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      const abs = path.join(dir, e.name);
      if (e.isSymbolicLink()) out.push({ rel, type: 'link', target: await readlink(abs) });
      else if (e.isDirectory()) {
        out.push({ rel, type: 'dir' });
        await walk(abs, rel);
      } else {
        const st = await lstat(abs);
        out.push({ rel, type: 'file', size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  };
  await walk(root, '');
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

export function treeBytes(entries: readonly TreeEntry[]): number {
  return entries.reduce((s, e) => s + (e.type === 'file' ? e.size : 0), 0);
}

// Archive reports that always say what is on disk. A report is written before the first change (every record
// pending), rewritten after each change, and marked complete by the last action, which also makes the renames
// durable (one fsync per folder they touched, not one per change). When the process is killed
// between a change and its report line, the report is one step behind the disk; the next plan of the same job
// finds it (`ytm_ops.complete: false`) and its first action re-derives every record from the disk.
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';
import { lstatOrNull } from '../../lib/fs/exists.js';

export type Report = Record<string, unknown> & { ytm_ops: { job: string; complete: boolean; interrupted?: boolean } };

export async function readReport(file: string): Promise<Report> {
  return JSON.parse(await readFile(file, 'utf8')) as Report;
}

/**
 * Read-modify-write of one report (actions run one at a time, so there is a single writer). The rewrite after
 * each change is atomic but not fsync'ed (`durable: false`): a killed process leaves the old or the new report,
 * and the closing write is durable. A power loss before it leaves the report incomplete, and the next plan
 * re-derives it from the disk (`reconcile`).
 */
export async function updateReport(
  file: string,
  change: (r: Report) => void | Promise<void>,
  opts: { durable: boolean },
): Promise<void> {
  const r = await readReport(file);
  await change(r);
  await writeJsonAtomic(file, r, { durable: opts.durable });
}

/** What became of one planned change, from the disk. */
export async function onDisk(src: string, dest: string | null): Promise<'done' | 'not_done' | 'partial'> {
  const [s, d] = await Promise.all([lstatOrNull(src), dest ? lstatOrNull(dest) : Promise.resolve(null)]);
  if (dest === null) return s ? 'not_done' : 'done';
  if (d && !s) return 'done';
  if (!d && s) return 'not_done';
  return 'partial';
}

/** Reports in `dir` (and, with `depth` 1, in its subfolders) named `name` (or matching it) left incomplete. */
export async function incompleteReports(
  dir: string,
  match: (name: string) => boolean,
  depth: 0 | 1,
): Promise<string[]> {
  const out: string[] = [];
  const scan = async (d: string, level: number) => {
    let entries: Dirent[];
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && level < depth) await scan(p, level + 1);
      else if (e.isFile() && match(e.name)) {
        const r = await readReport(p).catch(() => null);
        if (r?.ytm_ops && r.ytm_ops.complete === false) out.push(p);
      }
    }
  };
  await scan(dir, 0);
  return out.sort();
}

// How each archive report records a finished change, per report kind, in the predecessor's formats:
// `runs` (cleanup_video_runs' archive_report.json: `moves[]` done, `pending[]` not yet), `published`
// (archive_published_episodes v2: `items[].executed`) and `restore` (restore_video_runs: `restored[]`).
import path from 'node:path';
import { onDisk, type Report } from './ledger.js';

export type ReportKind = 'runs' | 'published' | 'restore';

interface RunMove {
  run_id: string;
  src: string;
  dest: string;
}
interface PublishedItem {
  key: string;
  src: string;
  dest: string | null;
  executed: boolean;
}
interface RestoreItem {
  run_id: string;
  from: string;
  to: string;
}

function counters(r: Report): Record<string, number> {
  r.counts ??= {};
  return r.counts as Record<string, number>;
}

/** Marks the change `key` done (run id, or `domain:src` for published items). */
export function markDone(kind: ReportKind, r: Report, key: string): void {
  if (kind === 'runs') {
    const pending = r.pending as RunMove[];
    const i = pending.findIndex((m) => m.run_id === key);
    if (i >= 0) (r.moves as RunMove[]).push(...pending.splice(i, 1));
  } else if (kind === 'published') {
    const item = (r.items as PublishedItem[]).find((it) => it.key === key);
    if (item) item.executed = true;
    counters(r).executed_moves = (r.items as PublishedItem[]).filter((it) => it.executed).length;
  } else {
    const restored = r.restored as string[];
    if (!restored.includes(key)) restored.push(key);
    counters(r).restored = restored.length;
  }
}

/** The folders whose entries the done changes of a report renamed (fsync'ed once when the report closes). */
export function changedFolders(kind: ReportKind, r: Report): string[] {
  const pairs =
    kind === 'runs'
      ? (r.moves as RunMove[]).map((m) => [m.src, m.dest])
      : kind === 'published'
        ? (r.items as PublishedItem[]).filter((it) => it.executed).map((it) => [it.src, it.dest])
        : (r.planned as RestoreItem[])
            .filter((p) => (r.restored as string[]).includes(p.run_id))
            .map((p) => [p.from, p.to]);
  return [...new Set(pairs.flat().flatMap((p) => (p ? [path.dirname(p)] : [])))].sort();
}

/** Re-derives every record from the disk (after a killed apply) and closes the report as interrupted. */
export async function reconcile(kind: ReportKind, r: Report): Promise<void> {
  if (kind === 'runs') {
    const all = [...(r.moves as RunMove[]), ...(r.pending as RunMove[])];
    const states = await Promise.all(all.map((m) => onDisk(m.src, m.dest)));
    r.moves = all.filter((_, i) => states[i] === 'done');
    r.pending = all.filter((_, i) => states[i] !== 'done');
  } else if (kind === 'published') {
    const items = r.items as PublishedItem[];
    const states = await Promise.all(items.map((it) => onDisk(it.src, it.dest)));
    items.forEach((it, i) => {
      it.executed = states[i] === 'done';
    });
    counters(r).executed_moves = items.filter((it) => it.executed).length;
  } else {
    const planned = r.planned as RestoreItem[];
    const states = await Promise.all(planned.map((p) => onDisk(p.from, p.to)));
    r.restored = planned.filter((_, i) => states[i] === 'done').map((p) => p.run_id);
    counters(r).restored = (r.restored as string[]).length;
  }
  r.ytm_ops = { ...r.ytm_ops, complete: true, interrupted: true };
}

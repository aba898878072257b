// The actions of the three archive jobs (`archive published`, `runs archive`, `runs restore`) and their one
// executor. Every action is idempotent: a change already on disk is `up_to_date`; a destination that exists
// while the source is still there fails the action and nothing is moved.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fsyncDir, writeJsonAtomic } from '../../lib/fs/atomic.js';
import { errCode } from '../../lib/fs/errors.js';
import { entryExists } from '../../lib/fs/exists.js';
import type { JsonValue } from '../../lib/plan/types.js';
import { formatBytes } from '../engine/output.js';
import type { ActionOutcome, JobContext } from '../engine/types.js';
import { onDisk, type Report, updateReport } from './ledger.js';
import { deleteEntry, moveEntry } from './move.js';
import { changedFolders, markDone, type ReportKind, reconcile } from './records.js';

const kind = z.enum(['runs', 'published', 'restore']);
const change = {
  /** The report record this change belongs to (a run id, or `domain:src`). */
  key: z.string(),
  src: z.string(),
  report: z.string(),
  kind,
  bytes: z.number(),
  entries: z.number(),
  /** What a person reads on the card: `CH02-043 audio`, a run id… */
  label: z.string(),
};

export const ArchiveActionSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('reconcile'), report: z.string(), kind }),
  z.object({ op: z.literal('report-open'), report: z.string(), content: z.record(z.string(), z.json()) }),
  z.object({ op: z.literal('move'), ...change, dest: z.string(), sameDevice: z.boolean() }),
  z.object({ op: z.literal('delete'), ...change }),
  z.object({ op: z.literal('report-close'), report: z.string(), kind }),
]);
export type ArchiveAction = z.infer<typeof ArchiveActionSchema>;

export function describeArchiveAction(raw: JsonValue): string {
  const parsed = ArchiveActionSchema.safeParse(raw);
  if (!parsed.success) return 'invalid archive action';
  const a = parsed.data;
  switch (a.op) {
    case 'reconcile':
      return `bring the report of an interrupted run in line with the disk: ${a.report}`;
    case 'report-open':
      return `write the report ${a.report}`;
    case 'report-close':
      return `complete the report ${a.report}`;
    case 'move':
      return `${a.kind === 'restore' ? 'restore' : 'archive'} ${a.label}: ${a.src} → ${a.dest} (${formatBytes(a.bytes)}, ${a.entries} entr${a.entries === 1 ? 'y' : 'ies'}; ${a.sameDevice ? 'a rename, frees nothing' : 'another disk: verified copy, then the source is removed'})`;
    case 'delete':
      return `DELETE ${a.label}: ${a.src} (${formatBytes(a.bytes)} freed, ${a.entries} entr${a.entries === 1 ? 'y' : 'ies'}; links removed, never followed)`;
  }
}

async function record(a: { report: string; kind: ReportKind; key: string }): Promise<void> {
  await updateReport(a.report, (r) => markDone(a.kind, r, a.key), { durable: false });
}

/** A report's last, durable write; the renamed folders are fsync'ed first, so a complete report never names
 * a move that a power loss could still undo. */
async function closeReport(
  report: string,
  kind: ReportKind,
  change: (r: Report) => void | Promise<void>,
): Promise<void> {
  await updateReport(
    report,
    async (r) => {
      await change(r);
      for (const dir of changedFolders(kind, r)) await fsyncDir(dir);
    },
    { durable: true },
  );
}

async function execute(a: ArchiveAction, ctx: JobContext): Promise<ActionOutcome> {
  switch (a.op) {
    case 'reconcile':
      await closeReport(a.report, a.kind, (r) => reconcile(a.kind, r));
      return { status: 'done', message: 'report re-derived from the disk' };
    case 'report-open':
      if (await entryExists(a.report)) return { status: 'up_to_date', message: 'report already written' };
      await mkdir(path.dirname(a.report), { recursive: true });
      await writeJsonAtomic(a.report, a.content);
      return { status: 'done', message: 'report written (every change pending)' };
    case 'report-close':
      await closeReport(a.report, a.kind, (r) => {
        r.ytm_ops = { ...r.ytm_ops, complete: true };
      });
      return { status: 'done', message: 'report complete', details: { report: a.report } };
    case 'move': {
      const state = await onDisk(a.src, a.dest);
      if (state === 'done') {
        await record(a);
        return { status: 'up_to_date', message: 'already at its destination' };
      }
      if (state === 'partial') {
        return {
          status: 'failed',
          message: (await entryExists(a.src))
            ? `the destination already exists: ${a.dest}; nothing was moved`
            : `neither the source nor the destination exists: ${a.src}`,
        };
      }
      const how = await moveEntry(a.src, a.dest, ctx.signal);
      await record(a);
      return {
        status: 'done',
        message: how === 'renamed' ? 'renamed (same disk)' : 'copied to the other disk, verified, source removed',
        details: { src: a.src, dest: a.dest },
      };
    }
    case 'delete': {
      if ((await onDisk(a.src, null)) === 'done') {
        await record(a);
        return { status: 'up_to_date', message: 'already gone' };
      }
      await deleteEntry(a.src);
      await record(a);
      return { status: 'done', message: `deleted, ${formatBytes(a.bytes)} freed`, details: { src: a.src } };
    }
  }
}

export async function applyArchiveAction(raw: JsonValue, ctx: JobContext): Promise<ActionOutcome> {
  const parsed = ArchiveActionSchema.safeParse(raw);
  if (!parsed.success) return { status: 'failed', message: 'not a valid archive action' };
  try {
    return await execute(parsed.data, ctx);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const code = errCode(err);
    return { status: 'failed', message: `${msg}${code && !msg.includes(code) ? ` (${code})` : ''}` };
  }
}

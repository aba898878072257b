// Append-only, hash-chained JSONL audit log at <stateDir>/audit/audit.jsonl.
// Several processes append (the bot, `ytm` in a terminal, job children), so every append takes an exclusive
// lock file, re-reads the last line under it to get seq/prev, appends one line with O_APPEND and fsyncs.
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { fsyncDir, writeJsonAtomic } from '../fs/atomic.js';
import { withFileLock } from '../locks/file-lock.js';
import { canonicalJson } from '../plan/canonical.js';
import { type AuditEntry, AuditEntrySchema, type AuditInput, entryHash, GENESIS_HASH } from './entry.js';
import { auditDir, auditFile, auditHeadFile, auditLockFile } from './paths.js';
import { readTail } from './tail.js';

const HeadSchema = z.object({ seq: z.number().int().min(0), hash: z.string() });

export class AuditCorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditCorruptError';
  }
}

export async function appendAudit(stateDir: string, input: AuditInput): Promise<AuditEntry> {
  const dir = auditDir(stateDir);
  await mkdir(dir, { recursive: true });
  const file = auditFile(stateDir);
  return withFileLock(auditLockFile(stateDir), async () => {
    const tail = await readTail(file);
    let prevSeq = 0;
    let prev = GENESIS_HASH;
    if (tail.lastLine !== undefined) {
      const parsed = AuditEntrySchema.safeParse(safeJson(tail.lastLine));
      // Refuse to extend a chain whose tip we cannot read: the new line would hide the damage.
      if (!parsed.success) throw new AuditCorruptError(`last line of ${file} is not a valid audit entry`);
      prevSeq = parsed.data.seq;
      prev = parsed.data.hash;
    }
    const body = {
      seq: prevSeq + 1,
      at: (input.at ?? new Date()).toISOString(),
      kind: input.kind,
      ...(input.actor !== undefined ? { actor: input.actor } : {}),
      ...(input.planId !== undefined ? { planId: input.planId } : {}),
      data: input.data ?? null,
      prev,
    };
    const entry: AuditEntry = { ...body, hash: entryHash(body) };
    // A torn tail (crash mid-write) stays visible to verifyAudit; start our line on a fresh line.
    const text = `${tail.endsClean ? '' : '\n'}${canonicalJson(entry)}\n`;
    const fh = await open(file, 'a', 0o600);
    try {
      await fh.write(text); // one write on an O_APPEND descriptor
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (tail.size === 0) await fsyncDir(dir);
    await writeJsonAtomic(auditHeadFile(stateDir), { seq: entry.seq, hash: entry.hash });
    return entry;
  });
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

async function* lines(file: string): AsyncGenerator<string> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of rl) yield line;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  } finally {
    rl.close();
    stream.destroy();
  }
}

export interface ReadAuditOptions {
  /** Only entries at or after this instant. */
  since?: Date;
  /** At most this many entries: the most recent ones, still in log order. */
  limit?: number;
}

/**
 * Entries in log order. Lines that do not parse are skipped here; `verifyAudit` is the integrity check.
 */
export async function readAudit(stateDir: string, opts: ReadAuditOptions = {}): Promise<AuditEntry[]> {
  const sinceMs = opts.since?.getTime();
  const out: AuditEntry[] = [];
  for await (const line of lines(auditFile(stateDir))) {
    if (!line) continue;
    const parsed = AuditEntrySchema.safeParse(safeJson(line));
    if (!parsed.success) continue;
    if (sinceMs !== undefined && Date.parse(parsed.data.at) < sinceMs) continue;
    out.push(parsed.data);
    if (opts.limit !== undefined && out.length > opts.limit) out.shift();
  }
  return opts.limit === 0 ? [] : out;
}

export interface AuditVerification {
  ok: boolean;
  /** Number of lines read. */
  lines: number;
  /** 1-based line number of the first line that fails (or lines + 1 when lines are missing at the end). */
  brokenAt?: number;
  reason?: string;
}

export async function verifyAudit(stateDir: string): Promise<AuditVerification> {
  let n = 0;
  let prev = GENESIS_HASH;
  let prevSeq = 0;
  const fail = (reason: string, at = n): AuditVerification => ({ ok: false, lines: n, brokenAt: at, reason });
  for await (const line of lines(auditFile(stateDir))) {
    n++;
    const parsed = AuditEntrySchema.safeParse(safeJson(line));
    if (!parsed.success) return fail('line is not a valid audit entry');
    const e = parsed.data;
    if (canonicalJson(e) !== line) return fail('line is not in canonical form (edited)');
    if (entryHash(e) !== e.hash) return fail('hash does not match the line content (edited)');
    if (e.prev !== prev) return fail('prev does not match the previous line (line removed, inserted or reordered)');
    if (e.seq !== prevSeq + 1) return fail(`seq ${e.seq} follows ${prevSeq} (line removed or inserted)`);
    prev = e.hash;
    prevSeq = e.seq;
  }
  const headText = await readFile(auditHeadFile(stateDir), 'utf8').catch(() => undefined);
  if (headText !== undefined) {
    const head = HeadSchema.safeParse(safeJson(headText));
    // The head is written just after the line, so it may lag by one after a crash, but never lead.
    if (head.success && head.data.seq > prevSeq) {
      return fail(`log ends at seq ${prevSeq} but seq ${head.data.seq} was written (lines cut off the end)`, n + 1);
    }
    if (head.success && head.data.seq === prevSeq && head.data.hash !== prev) {
      return fail('last line does not match the recorded head (edited)');
    }
  }
  return { ok: true, lines: n };
}

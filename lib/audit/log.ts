// Append-only, hash-chained JSONL audit log at <stateDir>/audit/audit.jsonl.
// Several processes append (the bot, `ytm` in a terminal, job children), so every append takes an exclusive
// lock file, re-reads the last line under it to get seq/prev, appends one line with O_APPEND and fsyncs.
// A torn last line (a crash mid-write) is moved aside under the lock, with an `audit.repaired` line saying so.
// head.json can be rewritten along with the log, so job and doctor reports also carry the head (anchors).
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { fsyncDir, writeJsonAtomic } from '../fs/atomic.js';
import { withFileLock } from '../locks/file-lock.js';
import { canonicalJson } from '../plan/canonical.js';
import { type AuditEntry, AuditEntrySchema, type AuditInput, entryHash, GENESIS_HASH } from './entry.js';
import { auditDir, auditFile, auditHeadFile, auditLockFile } from './paths.js';
import { setTornTailAside, tornStart } from './repair.js';
import { readTail, type Tail } from './tail.js';

const HeadSchema = z.object({ seq: z.number().int().min(0), hash: z.string() });

export class AuditCorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditCorruptError';
  }
}

/** The chain's tip: the seq and hash a new line chains to. */
export interface AuditHead {
  seq: number;
  hash: string;
}

function tipOf(file: string, tail: Tail): AuditHead {
  if (tail.lastLine === undefined) return { seq: 0, hash: GENESIS_HASH };
  const parsed = AuditEntrySchema.safeParse(safeJson(tail.lastLine));
  // Refuse to extend a chain whose tip we cannot read: the new line would hide the damage.
  if (!parsed.success) throw new AuditCorruptError(`last line of ${file} is not a valid audit entry`);
  return { seq: parsed.data.seq, hash: parsed.data.hash };
}

/** One line chained to `tip`, written with a single write on an O_APPEND descriptor and fsynced. */
async function writeEntry(stateDir: string, tip: AuditHead, input: AuditInput, size: number): Promise<AuditEntry> {
  const body = {
    seq: tip.seq + 1,
    at: (input.at ?? new Date()).toISOString(),
    kind: input.kind,
    ...(input.actor !== undefined ? { actor: input.actor } : {}),
    ...(input.planId !== undefined ? { planId: input.planId } : {}),
    data: input.data ?? null,
    prev: tip.hash,
  };
  const entry: AuditEntry = { ...body, hash: entryHash(body) };
  const fh = await open(auditFile(stateDir), 'a', 0o600);
  try {
    await fh.write(`${canonicalJson(entry)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (size === 0) await fsyncDir(auditDir(stateDir));
  await writeJsonAtomic(auditHeadFile(stateDir), { seq: entry.seq, hash: entry.hash });
  return entry;
}

export async function appendAudit(stateDir: string, input: AuditInput): Promise<AuditEntry> {
  await mkdir(auditDir(stateDir), { recursive: true });
  const file = auditFile(stateDir);
  return withFileLock(auditLockFile(stateDir), async () => {
    let tail = await readTail(file);
    const torn = tornStart(tail);
    if (torn === undefined) return writeEntry(stateDir, tipOf(file, tail), input, tail.size);
    // A crash tore the last line: keep its bytes aside, say so in the log, then go on from the last good line.
    const aside = await setTornTailAside(file, tail, torn);
    tail = await readTail(file);
    const repair = await writeEntry(
      stateDir,
      tipOf(file, tail),
      {
        kind: 'audit.repaired',
        actor: 'ytm:audit',
        data: {
          reason: 'the last line was torn by a crash; its bytes were moved aside',
          savedTo: aside.savedTo,
          bytes: aside.bytes,
          sha256: aside.sha256,
          cutAt: aside.cutAt,
        },
      },
      tail.size,
    );
    return writeEntry(stateDir, repair, input, tail.size + 1);
  });
}

/** The chain's tip as it is in the log now (for the anchors job and doctor reports carry), or null. */
export async function readAuditHead(stateDir: string): Promise<AuditHead | null> {
  const tail = await readTail(auditFile(stateDir));
  if (tail.lastLine === undefined) return null;
  const parsed = AuditEntrySchema.safeParse(safeJson(tail.lastLine));
  return parsed.success ? { seq: parsed.data.seq, hash: parsed.data.hash } : null;
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

/** A head recorded outside the state dir (in a job or doctor report), which the log must still contain. */
export interface AuditAnchor extends AuditHead {
  /** Where it was recorded, e.g. the report's path. */
  source: string;
}

export interface AuditProblem {
  /** 1-based line number (lines + 1 for lines missing at the end). */
  line: number;
  seq?: number;
  reason: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Number of lines read. */
  lines: number;
  /** Every bad line, in log order. */
  problems: AuditProblem[];
  /** The anchor checked, when there was one. */
  anchor?: AuditAnchor;
}

/** Why a parsed line does not fit the chain after (prevSeq, prev), or undefined when it fits. */
function chainProblem(e: AuditEntry, line: string, prev: AuditHead | undefined): string | undefined {
  if (canonicalJson(e) !== line) return 'line is not in canonical form (edited)';
  if (entryHash(e) !== e.hash) return 'hash does not match the line content (edited)';
  if (prev === undefined) return undefined; // the line before did not parse: nothing to chain to
  if (e.prev !== prev.hash)
    return 'prev does not match the previous line (line removed, inserted, reordered or edited)';
  if (e.seq !== prev.seq + 1) return `seq ${e.seq} follows ${prev.seq} (line removed or inserted)`;
  return undefined;
}

/**
 * Checks every line (all bad lines are reported, not only the first), the local head record, and, when given,
 * an anchor recorded outside the state dir: a log shorter than the anchor, or whose line at the anchor's seq
 * has another hash, was cut or rewritten even if it is consistent with head.json.
 */
export async function verifyAudit(stateDir: string, opts: { anchor?: AuditAnchor } = {}): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let n = 0;
  let prev: AuditHead | undefined = { seq: 0, hash: GENESIS_HASH };
  let lastSeq = 0;
  let atAnchor: { line: number; hash: string } | undefined;
  for await (const line of lines(auditFile(stateDir))) {
    n++;
    const parsed = AuditEntrySchema.safeParse(safeJson(line));
    if (!parsed.success) {
      problems.push({ line: n, reason: 'line is not a valid audit entry' });
      prev = undefined;
      continue;
    }
    const e = parsed.data;
    const why = chainProblem(e, line, prev);
    if (why) problems.push({ line: n, seq: e.seq, reason: why });
    if (opts.anchor && e.seq === opts.anchor.seq && !atAnchor) atAnchor = { line: n, hash: e.hash };
    prev = { seq: e.seq, hash: e.hash };
    lastSeq = Math.max(lastSeq, e.seq);
  }
  const headText = await readFile(auditHeadFile(stateDir), 'utf8').catch(() => undefined);
  const head = headText === undefined ? undefined : HeadSchema.safeParse(safeJson(headText));
  // The head is written just after the line, so it may lag by one after a crash, but never lead.
  if (head?.success && head.data.seq > lastSeq) {
    problems.push({
      line: n + 1,
      reason: `log ends at seq ${lastSeq} but seq ${head.data.seq} was written (lines cut off the end)`,
    });
  } else if (head?.success && head.data.seq === lastSeq && prev && head.data.hash !== prev.hash) {
    problems.push({ line: n, seq: lastSeq, reason: 'last line does not match the recorded head (edited)' });
  }
  const anchor = opts.anchor;
  if (anchor && lastSeq < anchor.seq) {
    problems.push({
      line: n + 1,
      reason: `log ends at seq ${lastSeq} but ${anchor.source} recorded seq ${anchor.seq}: the log was truncated or deleted`,
    });
  } else if (anchor && atAnchor?.hash !== anchor.hash) {
    problems.push({
      line: atAnchor?.line ?? n,
      seq: anchor.seq,
      reason: `seq ${anchor.seq} does not have the hash ${anchor.source} recorded: the log was rewritten`,
    });
  }
  return { ok: problems.length === 0, lines: n, problems, ...(anchor ? { anchor } : {}) };
}

// A short-lived exclusive lock between processes: a lock file created with O_EXCL ('wx').
// Used to serialise read-modify-write sequences (audit appends, approval compare-and-set).
//
// Stale handling: a lock is stale when it is older than `staleMs` and its owner is gone (same host, pid
// dead) or it was written by another host or is unreadable. Breaking a stale lock happens under a second
// O_EXCL "break" file, and the lock is re-read and re-judged under it, so two waiters that both saw the
// same stale lock cannot delete a fresh lock the other one just created.
import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { z } from 'zod';
import { pidAlive } from './pid.js';

export const FileLockOwnerSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  at: z.string(),
  token: z.string(),
});
export type FileLockOwner = z.infer<typeof FileLockOwnerSchema>;

export interface FileLockOptions {
  /** Age after which a lock whose owner is gone may be taken over (default 30 s). */
  staleMs?: number;
  /** Give up waiting after this long (default 60 s, longer than staleMs so a crashed holder is outlived). */
  timeoutMs?: number;
}

export interface FileLock {
  readonly path: string;
  /** Set when a stale lock was removed to get this one (worth an audit line). */
  readonly tookOverFrom?: FileLockOwner | { unreadable: true };
  release(): Promise<void>;
}

export class LockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: FileLockOwner | undefined,
  ) {
    super(
      `timed out waiting for lock ${lockPath}` +
        (holder ? ` held by pid ${holder.pid} on ${holder.host} since ${holder.at}` : ''),
    );
    this.name = 'LockTimeoutError';
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
}

type Observed =
  | { kind: 'missing' }
  | { kind: 'owner'; owner: FileLockOwner; ageMs: number }
  | { kind: 'unreadable'; ageMs: number };

async function observe(path: string): Promise<Observed> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, { mtimeMs }] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
  } catch (err) {
    if (isCode(err, 'ENOENT')) return { kind: 'missing' };
    throw err;
  }
  try {
    return { kind: 'owner', owner: FileLockOwnerSchema.parse(JSON.parse(text)), ageMs: Date.now() - mtimeMs };
  } catch {
    // Empty or torn: its creator died between open and write (or is writing right now, hence the age).
    return { kind: 'unreadable', ageMs: Date.now() - mtimeMs };
  }
}

function isStale(o: Observed, staleMs: number, now: number): boolean {
  if (o.kind === 'missing') return false;
  if (o.kind === 'unreadable') return o.ageMs > staleMs;
  // The owner's own timestamp, or the file's mtime when that is unparseable (never "not stale forever").
  const at = Date.parse(o.owner.at);
  const age = Number.isFinite(at) ? now - at : o.ageMs;
  if (!(age > staleMs)) return false;
  return o.owner.host !== hostname() || !pidAlive(o.owner.pid);
}

/** Remove `path` if it is (still) stale, judged again while holding the break guard. */
async function breakIfStale(path: string, staleMs: number): Promise<Observed | undefined> {
  const guard = `${path}.break`;
  try {
    await (await open(guard, 'wx')).close();
  } catch (err) {
    if (!isCode(err, 'EEXIST')) throw err;
    // A breaker that crashed inside this tiny window leaves the guard behind; clear it after staleMs.
    const st = await stat(guard).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > staleMs) await rm(guard, { force: true });
    return undefined;
  }
  try {
    const again = await observe(path);
    if (!isStale(again, staleMs, Date.now())) return undefined;
    await rm(path, { force: true });
    return again;
  } finally {
    await rm(guard, { force: true });
  }
}

export async function acquireFileLock(path: string, opts: FileLockOptions = {}): Promise<FileLock> {
  const staleMs = opts.staleMs ?? 30_000;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const owner: FileLockOwner = {
    pid: process.pid,
    host: hostname(),
    at: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const deadline = Date.now() + timeoutMs;
  let tookOverFrom: FileLock['tookOverFrom'];
  let delay = 2;
  for (;;) {
    try {
      const fh = await open(path, 'wx');
      try {
        owner.at = new Date().toISOString();
        await fh.writeFile(JSON.stringify(owner));
      } finally {
        await fh.close();
      }
      return {
        path,
        tookOverFrom,
        release: async () => {
          const cur = await observe(path);
          // Only remove our own lock: if it was (wrongly) taken over, the new owner keeps theirs.
          if (cur.kind === 'owner' && cur.owner.token === owner.token) await rm(path, { force: true });
        },
      };
    } catch (err) {
      if (!isCode(err, 'EEXIST')) throw err;
    }
    const seen = await observe(path);
    if (isStale(seen, staleMs, Date.now())) {
      const broken = await breakIfStale(path, staleMs);
      if (broken && broken.kind !== 'missing') {
        tookOverFrom = broken.kind === 'owner' ? broken.owner : { unreadable: true };
      }
      continue;
    }
    if (Date.now() > deadline) throw new LockTimeoutError(path, seen.kind === 'owner' ? seen.owner : undefined);
    // Jittered backoff, capped low: these locks are held for milliseconds.
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

/** Run `fn` while holding the lock at `path`; the lock is released even when `fn` throws. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts?: FileLockOptions): Promise<T> {
  const lock = await acquireFileLock(path, opts);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

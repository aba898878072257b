// One bot per machine: Slack hands each event to only one of an app's connections, so a second instance
// would silently steal half of the clicks. The lock file holds { pid, host, startedAt, heartbeatAt }.
// It is published with link(2) from a complete temp file, so it is created exclusively and is never seen
// half-written; heartbeats replace it with an atomic rename.
import { link, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { tempPathFor, writeFileAtomic, writeJsonAtomic } from '../fs/atomic.js';
import { type HostIdentity, hostIdentity, isThisHost } from './host-id.js';
import { pidAlive } from './pid.js';

export const InstanceLockSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  startedAt: z.string(),
  heartbeatAt: z.string(),
});
export type InstanceLockInfo = z.infer<typeof InstanceLockSchema>;

export class AlreadyRunningError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: InstanceLockInfo,
  ) {
    super(
      `another instance is running: pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}, ` +
        `last heartbeat ${holder.heartbeatAt} (lock ${lockPath})`,
    );
    this.name = 'AlreadyRunningError';
  }
}

export interface InstanceLockOptions {
  /** A lock whose heartbeat is older than this is stale (default 30 s). */
  staleMs?: number;
  /** How often the holder refreshes heartbeatAt (default 5 s). */
  heartbeatMs?: number;
  /** Called once if a heartbeat finds the lock no longer ours (another instance took it over). */
  onLost?: (current: InstanceLockInfo | undefined) => void;
}

export interface InstanceLock {
  readonly path: string;
  readonly info: InstanceLockInfo;
  /** Set when a stale lock was taken over (the caller audits it). `at` is the stale lock's last heartbeat. */
  readonly takenOverFrom?: { pid: number; host: string; at: string };
  /** Refresh heartbeatAt now (the timer does this every heartbeatMs). False when the lock is no longer ours. */
  heartbeat(): Promise<boolean>;
  release(): Promise<void>;
}

type Read = { kind: 'missing' } | { kind: 'ok'; info: InstanceLockInfo } | { kind: 'unreadable' };

async function readLock(path: string): Promise<Read> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  try {
    return { kind: 'ok', info: InstanceLockSchema.parse(JSON.parse(text)) };
  } catch {
    return { kind: 'unreadable' };
  }
}

/** The Slack bot's lock and staleness (bot/main.ts); `ytm status` reads it to say whether the bot runs. */
export const botLockFile = (stateDir: string) => join(stateDir, 'bot.lock');
export const BOT_LOCK_STALE_MS = 60_000;

/** Who holds the lock at `path` now, or undefined when it is free, stale or unreadable. Never takes it. */
export async function liveInstanceLockHolder(path: string, staleMs: number): Promise<InstanceLockInfo | undefined> {
  const cur = await readLock(path).catch((): Read => ({ kind: 'unreadable' }));
  if (cur.kind !== 'ok') return undefined;
  const here = await hostIdentity(dirname(path));
  return isInstanceLockStale(cur.info, staleMs, Date.now(), here) ? undefined : cur.info;
}

/**
 * Stale = (this host and pid dead) or heartbeat older than staleMs. `here`: this machine's identity (the lock
 * is in the state dir, next to host-id); a lock written under an older host name of this Mac is still ours.
 */
export function isInstanceLockStale(
  info: InstanceLockInfo,
  staleMs: number,
  now = Date.now(),
  here: HostIdentity,
): boolean {
  if (isThisHost(info.host, here) && !pidAlive(info.pid)) return true;
  const beat = Date.parse(info.heartbeatAt);
  return !Number.isFinite(beat) || now - beat > staleMs;
}

const sameOwner = (a: InstanceLockInfo, b: InstanceLockInfo) =>
  a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt;

/** Create `path` only if absent, with complete content. */
async function publishExclusive(path: string, info: InstanceLockInfo): Promise<boolean> {
  const tmp = tempPathFor(path);
  await writeFileAtomic(tmp, JSON.stringify(info));
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Remove a stale lock, judged again under a `.break` guard so that two starters racing over the same stale
 * lock cannot remove the fresh lock the faster one just published.
 */
async function breakStale(path: string, staleMs: number, here: HostIdentity): Promise<Read | undefined> {
  const guard = `${path}.break`;
  if (!(await publishExclusive(guard, { pid: process.pid, host: here.id, startedAt: '', heartbeatAt: '' }))) {
    const g = await readLock(guard);
    // A starter that died inside the guard leaves it behind; it is only ever held for milliseconds.
    if (g.kind !== 'ok' || !pidAlive(g.info.pid)) await rm(guard, { force: true });
    return undefined;
  }
  try {
    const again = await readLock(path);
    if (again.kind === 'ok' && !isInstanceLockStale(again.info, staleMs, Date.now(), here)) return undefined;
    if (again.kind === 'missing') return undefined;
    await rm(path, { force: true });
    return again;
  } finally {
    await rm(guard, { force: true });
  }
}

export async function acquireInstanceLock(path: string, opts: InstanceLockOptions = {}): Promise<InstanceLock> {
  const staleMs = opts.staleMs ?? 30_000;
  const heartbeatMs = opts.heartbeatMs ?? 5_000;
  await mkdir(dirname(path), { recursive: true });
  const startedAt = new Date().toISOString();
  const here = await hostIdentity(dirname(path));
  const info: InstanceLockInfo = { pid: process.pid, host: here.id, startedAt, heartbeatAt: startedAt };
  let takenOverFrom: InstanceLock['takenOverFrom'];

  for (let attempt = 0; ; attempt++) {
    if (await publishExclusive(path, info)) break;
    const cur = await readLock(path);
    if (cur.kind === 'ok' && !isInstanceLockStale(cur.info, staleMs, Date.now(), here))
      throw new AlreadyRunningError(path, cur.info);
    // Only our own files are ever published, complete; unreadable means damaged, so it is treated as stale.
    if (cur.kind !== 'missing') {
      const broken = await breakStale(path, staleMs, here);
      if (broken?.kind === 'ok') {
        takenOverFrom = { pid: broken.info.pid, host: broken.info.host, at: broken.info.heartbeatAt };
      } else if (broken?.kind === 'unreadable') {
        takenOverFrom = { pid: 0, host: 'unknown', at: 'unreadable lock file' };
      }
    }
    if (attempt > 50) throw new Error(`could not acquire instance lock ${path}`);
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
  }

  let released = false;
  let lost = false;
  const heartbeat = async (): Promise<boolean> => {
    if (released || lost) return false;
    const cur = await readLock(path);
    if (cur.kind !== 'ok' || !sameOwner(cur.info, info)) {
      lost = true;
      clearInterval(timer);
      opts.onLost?.(cur.kind === 'ok' ? cur.info : undefined);
      return false;
    }
    info.heartbeatAt = new Date().toISOString();
    await writeJsonAtomic(path, info);
    return true;
  };
  const timer = setInterval(() => {
    heartbeat().catch(() => {
      // A failed heartbeat (disk full, say) is retried on the next tick; staleness needs staleMs of them.
    });
  }, heartbeatMs);
  timer.unref(); // the lock must never keep the process alive on its own

  return {
    path,
    info,
    takenOverFrom,
    heartbeat,
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      const cur = await readLock(path);
      if (cur.kind === 'ok' && sameOwner(cur.info, info)) await rm(path, { force: true });
    },
  };
}

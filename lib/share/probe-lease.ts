// One child at a time on each share root, across every process (bot, its job and monitor children, terminal
// runs). A child blocked on a hung mount sits in state D and no signal ends it, so every probe that starts
// while an earlier one is stuck would add one more. The lease file `<stateDir>/share-probes/<hash>.json` names
// the child that is touching the share (pid + start time, so a reused pid does not count) and its owner;
// while that child is stuck, callers answer 'hung' at once instead of starting another.
//
// Publishing: a complete temp file is link(2)ed to the lease name (exclusive, never seen half-written).
// Taking over a dead holder's lease, marking a lease stuck and releasing one happen under a short file lock,
// so a release can never remove a lease another process just took over. Finding a live holder needs no lock.
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errCode } from '../fs/errors.js';
import { withFileLock } from '../locks/file-lock.js';
import { procIdentity } from '../locks/proc-start.js';

export interface ProbeLease {
  /** The share root the child works on (resolved). */
  root: string;
  /** The guard op the child runs. */
  op: string;
  pid: number;
  startTime: string;
  ownerPid: number;
  ownerStartTime: string;
  /** ISO time the child was handed the op. */
  since: string;
  /** Epoch ms after which an unfinished child counts as stuck. */
  deadline: number;
  /** Set by the owner when it gave up waiting on the child. */
  stuckAt?: string;
  token: string;
}

export interface LeaseView extends ProbeLease {
  status: 'in-flight' | 'stuck';
  /** The holder's scheduler state on Linux ('D' while blocked on the mount). */
  procState?: string;
}

export interface HeldLease {
  readonly lease: ProbeLease;
  /** The child finished: the lease goes. */
  release(): Promise<void>;
  /** The owner stopped waiting: the lease stays, marked stuck, until the child is gone. */
  markStuck(): Promise<void>;
}

export type AcquireResult = { ok: true; held: HeldLease } | { ok: false; holder: LeaseView };

export const leaseDir = (stateDir: string) => path.join(stateDir, 'share-probes');

export function leasePath(stateDir: string, root: string): string {
  const key = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16);
  return path.join(leaseDir(stateDir), `${key}.json`);
}

// Held for a few file operations only; a holder killed inside them is outlived quickly.
const MUTEX = { staleMs: 2000, timeoutMs: 10_000 };

let self: Promise<string> | undefined;
/** This process's own start time (read once). */
function ownStartTime(): Promise<string> {
  self ??= procIdentity(process.pid).then((id) => id?.startTime ?? '?');
  return self;
}

function parseLease(text: string): ProbeLease | null {
  try {
    const v = JSON.parse(text) as Partial<ProbeLease>;
    if (typeof v.pid !== 'number' || typeof v.startTime !== 'string' || typeof v.deadline !== 'number') return null;
    if (typeof v.root !== 'string' || typeof v.since !== 'string' || typeof v.token !== 'string') return null;
    return v as ProbeLease;
  } catch {
    return null;
  }
}

async function readLease(file: string): Promise<ProbeLease | null | 'missing'> {
  try {
    return parseLease(await readFile(file, 'utf8'));
  } catch (err) {
    if (errCode(err) === 'ENOENT') return 'missing';
    throw err;
  }
}

/** null = the lease is free: its child is gone (or another process now has that pid). */
async function judge(lease: ProbeLease, now: number): Promise<LeaseView | null> {
  const child = await procIdentity(lease.pid, { threads: true });
  if (!child || child.startTime !== lease.startTime) return null;
  const owner = await procIdentity(lease.ownerPid);
  const ownerGone = !owner || owner.startTime !== lease.ownerStartTime;
  const stuck = lease.stuckAt !== undefined || now > lease.deadline || ownerGone;
  return { ...lease, status: stuck ? 'stuck' : 'in-flight', ...(child.state ? { procState: child.state } : {}) };
}

async function writeTemp(file: string, lease: ProbeLease): Promise<string> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(lease));
  return tmp;
}

/** Exclusive create: true when this call published the lease, false when one exists. */
async function publish(file: string, lease: ProbeLease): Promise<boolean> {
  let tmp: string;
  try {
    tmp = await writeTemp(file, lease);
  } catch (err) {
    if (errCode(err) !== 'ENOENT') throw err;
    await mkdir(path.dirname(file), { recursive: true });
    tmp = await writeTemp(file, lease);
  }
  try {
    await link(tmp, file);
    return true;
  } catch (err) {
    if (errCode(err) === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}

async function replace(file: string, lease: ProbeLease): Promise<void> {
  await rename(await writeTemp(file, lease), file);
}

function held(file: string, lease: ProbeLease): HeldLease {
  const mine = async (fn: () => Promise<void>) =>
    withFileLock(
      `${file}.lock`,
      async () => {
        const cur = await readLease(file);
        if (cur !== 'missing' && cur?.token === lease.token) await fn();
      },
      MUTEX,
    );
  return {
    lease,
    release: () => mine(() => rm(file, { force: true })),
    markStuck: () => mine(() => replace(file, { ...lease, stuckAt: new Date().toISOString() })),
  };
}

/**
 * Claims the share root `root` for the child `pid` (whose start time is `startTime`) running `op` until
 * `deadline`. Fails with the current holder when a live child holds it; a lease whose child is gone is taken over.
 * Costs a few local file operations (plus, on macOS only, `ps` when another holder must be judged).
 */
export async function acquireProbeLease(
  stateDir: string,
  root: string,
  child: { pid: number; startTime: string; op: string; deadline: number },
): Promise<AcquireResult> {
  const file = leasePath(stateDir, root);
  const lease: ProbeLease = {
    root: path.resolve(root),
    op: child.op,
    pid: child.pid,
    startTime: child.startTime,
    ownerPid: process.pid,
    ownerStartTime: await ownStartTime(),
    since: new Date().toISOString(),
    deadline: child.deadline,
    token: randomBytes(8).toString('hex'),
  };
  if (await publish(file, lease)) return { ok: true, held: held(file, lease) };
  // A live holder is answered from a plain read; only a lease that looks free is taken under the lock.
  const seen = await readLease(file);
  const holder = seen === 'missing' || seen === null ? null : await judge(seen, Date.now());
  if (holder) return { ok: false, holder };
  return withFileLock(
    `${file}.lock`,
    async (): Promise<AcquireResult> => {
      for (;;) {
        const cur = await readLease(file);
        // Released since we looked: publish exclusively (a fast-path caller may win that race; then look again).
        if (cur === 'missing') {
          if (await publish(file, lease)) return { ok: true, held: held(file, lease) };
          continue;
        }
        const view = cur === null ? null : await judge(cur, Date.now());
        if (view) return { ok: false, holder: view };
        // Unreadable or its child is gone: take it over (nobody can remove it while we hold the lock).
        await replace(file, lease);
        return { ok: true, held: held(file, lease) };
      }
    },
    MUTEX,
  );
}

/** The live holder of `root`'s lease, or null when it is free. One read (plus /proc) and no lock. */
export async function peekProbeLease(stateDir: string, root: string): Promise<LeaseView | null> {
  const seen = await readLease(leasePath(stateDir, root)).catch(() => null);
  return seen === 'missing' || seen === null ? null : judge(seen, Date.now());
}

/** Every lease whose child is still alive (in flight or stuck), oldest first. Reads only. */
export async function listProbeLeases(stateDir: string, now = Date.now()): Promise<LeaseView[]> {
  const dir = leaseDir(stateDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: LeaseView[] = [];
  for (const name of names.filter((n) => /^[0-9a-f]{16}\.json$/.test(n))) {
    const lease = await readLease(path.join(dir, name)).catch(() => null);
    if (lease === 'missing' || lease === null) continue;
    const view = await judge(lease, now);
    if (view) out.push(view);
  }
  return out.sort((a, b) => a.since.localeCompare(b.since));
}

/** "share probe (pid 123, state D) stuck on /mnt/share since 2026-…": for messages and reports. */
export function describeHolder(h: LeaseView): string {
  return `${h.op} child (pid ${h.pid}${h.procState ? `, state ${h.procState}` : ''}) ${h.status === 'stuck' ? 'stuck' : 'busy'} on ${h.root} since ${h.since}`;
}

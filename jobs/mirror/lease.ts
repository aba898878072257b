// One mirror run at a time on this machine: `<YTM_STATE_DIR>/mirror.lease.json` names the process running the
// passes and its current rsync child, each with its start time (a reused pid is not taken for them). A lease
// whose owner and rsync are both gone is stale: the next run takes it over, and the caller audits that. An
// rsync left running by a killed owner still holds the lease, so two rsyncs never write the vault at once.
//
// Publishing: a complete temp file is link(2)ed to the lease name (exclusive, never seen half-written).
// Taking over and releasing happen under a short file lock, so a release never removes a lease someone else
// just took over.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { errCode } from '../../lib/fs/errors.js';
import { withFileLock } from '../../lib/locks/file-lock.js';
import { procIdentity } from '../../lib/locks/proc-start.js';

export interface MirrorLease {
  pid: number;
  startTime: string;
  host: string;
  planId: string;
  since: string;
  token: string;
  rsync?: { pid: number; startTime: string; pass: string };
}

export interface HeldMirrorLease {
  readonly lease: MirrorLease;
  /** Records the rsync child now running (so a killed owner's orphan still holds the lease). */
  setRsync(pid: number, pass: string): Promise<void>;
  release(): Promise<void>;
}

export type MirrorLeaseResult =
  | { ok: true; held: HeldMirrorLease; tookOverFrom?: MirrorLease | { unreadable: true } }
  | { ok: false; holder: MirrorLease; why: string };

export const mirrorLeasePath = (stateDir: string) => path.join(stateDir, 'mirror.lease.json');

const MUTEX = { staleMs: 2000, timeoutMs: 10_000 };

async function readLease(file: string): Promise<MirrorLease | null | 'missing'> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as Partial<MirrorLease>;
    if (typeof v.pid !== 'number' || typeof v.startTime !== 'string' || typeof v.token !== 'string') return null;
    return v as MirrorLease;
  } catch (err) {
    return errCode(err) === 'ENOENT' ? 'missing' : null;
  }
}

async function alive(pid: number, startTime: string): Promise<boolean> {
  const id = await procIdentity(pid);
  return id !== null && (id.startTime === startTime || id.startTime === '?');
}

/** Why the lease still holds, or null when it is stale (another host's lease always holds). */
async function holds(l: MirrorLease): Promise<string | null> {
  if (l.host !== hostname()) return `held by ${l.host} (pid ${l.pid}) since ${l.since}`;
  if (await alive(l.pid, l.startTime)) return `another mirror run is in progress (pid ${l.pid}, since ${l.since})`;
  if (l.rsync && (await alive(l.rsync.pid, l.rsync.startTime))) {
    return `the rsync of an earlier run (pid ${l.rsync.pid}, pass ${l.rsync.pass}) is still running; its run (pid ${l.pid}) is gone`;
  }
  return null;
}

async function writeTemp(file: string, lease: MirrorLease): Promise<string> {
  const tmp = `${file}.${lease.token}.tmp`;
  await writeFile(tmp, JSON.stringify(lease));
  return tmp;
}

function heldLease(file: string, lease: MirrorLease): HeldMirrorLease {
  return {
    lease,
    setRsync: async (pid, pass) => {
      const id = await procIdentity(pid);
      lease.rsync = { pid, startTime: id?.startTime ?? '?', pass };
      await withFileLock(
        `${file}.lock`,
        async () => {
          const cur = await readLease(file);
          if (cur === 'missing' || cur === null || cur.token !== lease.token) return;
          await rename(await writeTemp(file, lease), file);
        },
        MUTEX,
      );
    },
    release: () =>
      withFileLock(
        `${file}.lock`,
        async () => {
          const cur = await readLease(file);
          if (cur !== 'missing' && cur !== null && cur.token === lease.token) await rm(file, { force: true });
        },
        MUTEX,
      ),
  };
}

export async function acquireMirrorLease(stateDir: string, planId: string): Promise<MirrorLeaseResult> {
  await mkdir(stateDir, { recursive: true });
  const file = mirrorLeasePath(stateDir);
  const self = await procIdentity(process.pid);
  const lease: MirrorLease = {
    pid: process.pid,
    startTime: self?.startTime ?? '?',
    host: hostname(),
    planId,
    since: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const tmp = await writeTemp(file, lease);
  try {
    try {
      await link(tmp, file);
      return { ok: true, held: heldLease(file, lease) };
    } catch (err) {
      if (errCode(err) !== 'EEXIST') throw err;
    }
    return await withFileLock(
      `${file}.lock`,
      async (): Promise<MirrorLeaseResult> => {
        const cur = await readLease(file);
        if (cur !== 'missing' && cur !== null) {
          const why = await holds(cur);
          if (why) return { ok: false, holder: cur, why };
        }
        await rename(tmp, file);
        const tookOverFrom = cur === 'missing' ? undefined : (cur ?? { unreadable: true as const });
        return { ok: true, held: heldLease(file, lease), ...(tookOverFrom ? { tookOverFrom } : {}) };
      },
      MUTEX,
    );
  } finally {
    await rm(tmp, { force: true });
  }
}

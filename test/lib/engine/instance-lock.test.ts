import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostIdentity } from '../../../lib/locks/host-id.js';
import { AlreadyRunningError, acquireInstanceLock, InstanceLockSchema } from '../../../lib/locks/instance.js';
import { deadPid, runChild, spawnChild, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let lockPath: string;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  lockPath = join(dir, 'locks', 'bot.lock');
});
afterEach(() => cleanup());

const readInfo = async () => InstanceLockSchema.parse(JSON.parse(await readFile(lockPath, 'utf8')));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('single-instance lock', () => {
  it('writes { pid, host, startedAt, heartbeatAt } and a second acquire throws naming the pid', async () => {
    const lock = await acquireInstanceLock(lockPath);
    expect(lock.takenOverFrom).toBeUndefined();
    const info = await readInfo();
    // The host is this machine's stable id from the state dir (lib/locks/host-id.ts), not hostname().
    expect(info).toMatchObject({ pid: process.pid, host: (await hostIdentity(dirname(lockPath))).id });
    const err = await acquireInstanceLock(lockPath).catch((e) => e);
    expect(err).toBeInstanceOf(AlreadyRunningError);
    expect(err.message).toContain(`pid ${process.pid}`);
    await lock.release();
    const again = await acquireInstanceLock(lockPath);
    await again.release();
  });

  it('refuses while another live process holds it, and takes it over once that process is killed', async () => {
    const child = spawnChild('instance-holder.ts', [lockPath]);
    const line = await child.next();
    const pid = Number(line.split(' ')[1]);
    expect(line).toBe(`locked ${pid}`);
    const err = await acquireInstanceLock(lockPath).catch((e) => e);
    expect(err).toBeInstanceOf(AlreadyRunningError);
    expect(err.holder.pid).toBe(pid);

    child.proc.kill('SIGKILL'); // a crash: the lock file stays behind
    await child.exited;
    expect((await readInfo()).pid).toBe(pid);
    const lock = await acquireInstanceLock(lockPath);
    expect(lock.takenOverFrom).toMatchObject({ pid, host: (await hostIdentity(dirname(lockPath))).id });
    expect((await readInfo()).pid).toBe(process.pid);
    await lock.release();
  });

  it('several processes starting at once: exactly one gets the lock, the others fail naming its pid', async () => {
    // The winner holds the lock for 3 s ('hold'), long enough for every other starter to try while it is held.
    const results = await Promise.all([1, 2, 3, 4].map(() => runChild('instance-holder.ts', [lockPath, 'hold'])));
    const winners = results.filter((r) => r.code === 0);
    const losers = results.filter((r) => r.code !== 0);
    expect(winners).toHaveLength(1);
    const pid = Number(winners[0]?.stdout.split(' ')[1]);
    for (const l of losers) expect(l.stderr).toMatch(new RegExp(`AlreadyRunningError.*pid ${pid}`));
  });

  it('takes over a lock whose pid is dead on this host even with a fresh heartbeat', async () => {
    const pid = await deadPid();
    const now = new Date().toISOString();
    await acquireInstanceLock(lockPath).then((l) => l.release()); // creates the directory
    await writeFile(lockPath, JSON.stringify({ pid, host: hostname(), startedAt: now, heartbeatAt: now }));
    const lock = await acquireInstanceLock(lockPath);
    expect(lock.takenOverFrom).toEqual({ pid, host: hostname(), at: now });
    await lock.release();
  });

  it('takes over a lock from another host only when its heartbeat is older than staleMs', async () => {
    await acquireInstanceLock(lockPath).then((l) => l.release());
    const fresh = new Date().toISOString();
    await writeFile(
      lockPath,
      JSON.stringify({ pid: process.pid, host: 'other-host', startedAt: fresh, heartbeatAt: fresh }),
    );
    await expect(acquireInstanceLock(lockPath, { staleMs: 30_000 })).rejects.toThrow(/other-host/);
    const old = new Date(Date.now() - 31_000).toISOString();
    await writeFile(
      lockPath,
      JSON.stringify({ pid: process.pid, host: 'other-host', startedAt: old, heartbeatAt: old }),
    );
    const lock = await acquireInstanceLock(lockPath, { staleMs: 30_000 });
    expect(lock.takenOverFrom).toEqual({ pid: process.pid, host: 'other-host', at: old });
    await lock.release();
  });

  it('heartbeat refreshes heartbeatAt on its timer', async () => {
    const lock = await acquireInstanceLock(lockPath, { heartbeatMs: 30 });
    const first = await readInfo();
    await sleep(200);
    const later = await readInfo();
    expect(Date.parse(later.heartbeatAt)).toBeGreaterThan(Date.parse(first.heartbeatAt));
    expect(later.startedAt).toBe(first.startedAt);
    await lock.release();
  });

  it('release removes only its own lock; a lock taken over from it is left alone and reported lost', async () => {
    const lost: unknown[] = [];
    const lock = await acquireInstanceLock(lockPath, { heartbeatMs: 60_000, onLost: (cur) => lost.push(cur) });
    const pid = await deadPid();
    const now = new Date().toISOString();
    const theirs = { pid, host: 'someone-else', startedAt: now, heartbeatAt: now };
    await writeFile(lockPath, JSON.stringify(theirs));
    expect(await lock.heartbeat()).toBe(false);
    expect(lost).toEqual([theirs]);
    await lock.release();
    expect(await readInfo()).toEqual(theirs);
  });
});

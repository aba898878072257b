// The probe lease: one guard child per share root across processes, judged by pid + process start time.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runGuarded } from '../../../lib/guard/run.js';
import { parseProcStat, parsePsLstart, procIdentity } from '../../../lib/locks/proc-start.js';
import { acquireProbeLease, leasePath, listProbeLeases, type ProbeLease } from '../../../lib/share/probe-lease.js';
import { assertBuilt } from './dist-check.js';

let tmp: string;
const sleepers: ChildProcess[] = [];

beforeAll(async () => {
  assertBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'ytm-lease-'));
});
afterEach(() => {
  for (const c of sleepers.splice(0)) c.kill('SIGKILL');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A live process standing in for a guard child on the share. */
async function sleeper(): Promise<{ pid: number; startTime: string; child: ChildProcess }> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  sleepers.push(child);
  const pid = child.pid as number;
  const id = await procIdentity(pid);
  if (!id) throw new Error('sleep did not start');
  return { pid, startTime: id.startTime, child };
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((r) => child.once('exit', r));
}

let n = 0;
const fresh = async () => {
  const dir = path.join(tmp, `state-${n++}`);
  await mkdir(dir, { recursive: true });
  return dir;
};

describe('process identity (captured output)', () => {
  it('reads state and start time from /proc/<pid>/stat, even with spaces and parentheses in the name', () => {
    const stat =
      '10500 (cat) R 10498 10498 3016 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 39770 3133440 382 18446744073709551615 0';
    expect(parseProcStat(stat)).toEqual({ state: 'R', startTime: '39770' });
    const odd =
      '4242 (node (guard) x) D 1 4242 4242 0 -1 4194560 120 0 0 0 3 1 0 0 20 0 11 0 987654 1000 50 18446744073709551615';
    expect(parseProcStat(odd)).toEqual({ state: 'D', startTime: '987654' });
    expect(parseProcStat('')).toBeNull();
    expect(parseProcStat('12 (short) S 1 2')).toBeNull();
  });

  it('reads the start time from `ps -o lstart=` (macOS), and nothing from an empty answer', () => {
    expect(parsePsLstart('Wed Dec  2 07:22:56 2026\n')).toEqual({ startTime: 'Wed Dec 2 07:22:56 2026' });
    expect(parsePsLstart('')).toBeNull();
    expect(parsePsLstart('  PID STARTED\n')).toBeNull();
  });

  it.skipIf(process.platform !== 'linux')('a live process has a stable identity; a finished one has none', async () => {
    const a = await procIdentity(process.pid);
    expect(a?.startTime).toMatch(/^\d+$/);
    expect(await procIdentity(process.pid)).toEqual(a);
    const s = await sleeper();
    s.child.kill('SIGKILL');
    await exited(s.child);
    expect(await procIdentity(s.pid)).toBeNull();
  });
});

describe('acquireProbeLease', () => {
  it('holds one child per root: a second caller sees the first in flight, then stuck once marked', async () => {
    const stateDir = await fresh();
    const a = await sleeper();
    const b = await sleeper();
    const first = await acquireProbeLease(stateDir, '/mnt/share', {
      ...a,
      op: 'probe-share',
      deadline: Date.now() + 60_000,
    });
    expect(first.ok).toBe(true);
    const second = await acquireProbeLease(stateDir, '/mnt/share', {
      ...b,
      op: 'probe-share',
      deadline: Date.now() + 60_000,
    });
    expect(second).toMatchObject({ ok: false, holder: { pid: a.pid, status: 'in-flight', root: '/mnt/share' } });
    // Another root is independent.
    expect(
      (await acquireProbeLease(stateDir, '/mnt/other', { ...b, op: 'exists', deadline: Date.now() + 60_000 })).ok,
    ).toBe(true);
    if (!first.ok) return;
    await first.held.markStuck();
    const third = await acquireProbeLease(stateDir, '/mnt/share', {
      ...b,
      op: 'probe-share',
      deadline: Date.now() + 60_000,
    });
    expect(third).toMatchObject({ ok: false, holder: { pid: a.pid, status: 'stuck', since: first.held.lease.since } });
    expect((await listProbeLeases(stateDir)).map((l) => [l.root, l.pid, l.status])).toEqual([
      ['/mnt/share', a.pid, 'stuck'],
      ['/mnt/other', b.pid, 'in-flight'],
    ]);
  });

  it('a lease past its deadline counts as stuck while its child lives', async () => {
    const stateDir = await fresh();
    const a = await sleeper();
    const b = await sleeper();
    await acquireProbeLease(stateDir, '/mnt/share', { ...a, op: 'probe-share', deadline: Date.now() - 1 });
    const r = await acquireProbeLease(stateDir, '/mnt/share', {
      ...b,
      op: 'probe-share',
      deadline: Date.now() + 60_000,
    });
    expect(r).toMatchObject({ ok: false, holder: { pid: a.pid, status: 'stuck' } });
  });

  it('takes over the lease of a child that is gone (the share came back, or it crashed)', async () => {
    const stateDir = await fresh();
    const a = await sleeper();
    const got = await acquireProbeLease(stateDir, '/mnt/share', {
      ...a,
      op: 'probe-share',
      deadline: Date.now() + 60_000,
    });
    if (!got.ok) throw new Error('no lease');
    await got.held.markStuck();
    a.child.kill('SIGKILL');
    await exited(a.child);
    expect(await listProbeLeases(stateDir)).toEqual([]);
    const b = await sleeper();
    const next = await acquireProbeLease(stateDir, '/mnt/share', {
      ...b,
      op: 'probe-share',
      deadline: Date.now() + 60_000,
    });
    expect(next.ok).toBe(true);
    const onDisk = JSON.parse(await readFile(leasePath(stateDir, '/mnt/share'), 'utf8')) as ProbeLease;
    expect(onDisk.pid).toBe(b.pid);
    // The old holder's release cannot remove the new lease.
    await got.held.release();
    expect((JSON.parse(await readFile(leasePath(stateDir, '/mnt/share'), 'utf8')) as ProbeLease).pid).toBe(b.pid);
  });

  it('a reused pid (same pid, other start time) does not hold the lease', async () => {
    const stateDir = await fresh();
    const a = await sleeper();
    const file = leasePath(stateDir, '/mnt/share');
    await mkdir(path.dirname(file), { recursive: true });
    const forged: ProbeLease = {
      root: '/mnt/share',
      op: 'probe-share',
      pid: a.pid,
      startTime: `${a.startTime}0`,
      ownerPid: process.pid,
      ownerStartTime: (await procIdentity(process.pid))?.startTime ?? '?',
      since: new Date().toISOString(),
      deadline: Date.now() + 60_000,
      stuckAt: new Date().toISOString(),
      token: 'old',
    };
    await writeFile(file, JSON.stringify(forged));
    const b = await sleeper();
    expect(
      (await acquireProbeLease(stateDir, '/mnt/share', { ...b, op: 'probe-share', deadline: Date.now() + 60_000 })).ok,
    ).toBe(true);
  });

  it('releasing frees the root at once', async () => {
    const stateDir = await fresh();
    const a = await sleeper();
    const got = await acquireProbeLease(stateDir, '/mnt/share', { ...a, op: 'exists', deadline: Date.now() + 60_000 });
    if (!got.ok) throw new Error('no lease');
    await got.held.release();
    const b = await sleeper();
    expect(
      (await acquireProbeLease(stateDir, '/mnt/share', { ...b, op: 'exists', deadline: Date.now() + 60_000 })).ok,
    ).toBe(true);
  });
});

describe('runGuarded with a lease', () => {
  it('answers "stuck" with the holder instead of starting a child while an earlier one is stuck', async () => {
    const stateDir = await fresh();
    const root = path.join(tmp, 'share');
    const a = await sleeper();
    const got = await acquireProbeLease(stateDir, root, { ...a, op: 'probe-share', deadline: Date.now() + 60_000 });
    if (!got.ok) throw new Error('no lease');
    await got.held.markStuck();
    const r = await runGuarded({ op: 'list-dir', path: root }, { timeoutMs: 10_000, lease: { stateDir, root } });
    expect(r).toMatchObject({ ok: false, reason: 'stuck', holder: { pid: a.pid, since: got.held.lease.since } });
    expect(r.ok ? '' : r.message).toContain(`list-dir ${root} not started`);
    expect(r.ok ? '' : r.message).toContain(`since ${got.held.lease.since}`);
  });

  it('runs ops on one root one after another and leaves no lease behind', async () => {
    const stateDir = await fresh();
    const root = path.join(tmp, 'share2');
    await mkdir(root, { recursive: true });
    const lease = { stateDir, root };
    const rs = await Promise.all(
      Array.from({ length: 4 }, () =>
        runGuarded<string[]>({ op: 'list-dir', path: root }, { timeoutMs: 20_000, lease }),
      ),
    );
    expect(rs.map((r) => r.ok)).toEqual([true, true, true, true]);
    await expect(readFile(leasePath(stateDir, root))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a timed-out child that the kill does end (not blocked in the kernel) leaves the root free', async () => {
    const stateDir = await fresh();
    const root = path.join(tmp, 'share3');
    await mkdir(root, { recursive: true });
    const lease = { stateDir, root };
    const slow = await runGuarded({ op: '_selftest', mode: 'sleep', ms: 60_000 }, { timeoutMs: 300, lease });
    expect(slow).toMatchObject({ ok: false, reason: 'timeout' });
    await expect
      .poll(async () => (await runGuarded({ op: 'list-dir', path: root }, { timeoutMs: 10_000, lease })).ok, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(true);
  });
});

// The mirror under faults, with real rsync on real files: two runs overlapping (one skips, recorded), a stale
// lease (taken over, audited, the report says what happened), and rsync killed mid-run (the run fails and says
// so; the next run completes).
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mirrorLeasePath } from '../../jobs/mirror/lease.js';
import { VAULT_SENTINEL } from '../../lib/paths.js';
import { type MirrorWorkspace, mirror, mirrorWorkspace, out, reportOf, tree } from './mirror/support.js';
import { json, YTM_ENTRY, ytm } from './support/run.js';
import { writeFile } from './support/workspace.js';

let w: MirrorWorkspace;
beforeEach(async () => {
  w = mirrorWorkspace();
  const r = await mirror(w, ['--bootstrap-dest', '--run']);
  expect(r.exitCode, r.stderr).toBe(0);
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

/** A run slowed down by --bwlimit on an 8 MiB file: about 4 s of rsync in the main pass. */
const SLOW = { YTM_RSYNC_BWLIMIT_KBPS: '2000' };

function startSlowRun() {
  writeFile(path.join(w.ws, 'big', 'render.mp4'), randomBytes(8 * 1024 * 1024));
  return execa(process.execPath, [YTM_ENTRY, 'mirror', '--run', '--yes', '--json'], {
    env: { ...w.env, ...SLOW },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 120_000,
  });
}

/** Waits until the running mirror's lease names its rsync child in the main pass; returns that pid. */
async function rsyncOfRun(): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const lease = JSON.parse(readFileSync(mirrorLeasePath(w.state), 'utf8')) as {
        rsync?: { pid: number; pass: string };
      };
      if (lease.rsync?.pass === 'main') return lease.rsync.pid;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the mirror run never started its rsync');
}

describe('mirror faults', () => {
  it('two overlapping runs: the second skips (exit 0, reported), the first completes', {
    timeout: 120_000,
  }, async () => {
    const first = startSlowRun();
    await rsyncOfRun();
    const second = await mirror(w, ['--run', '--scheduled']);
    expect(second.exitCode, second.stderr).toBe(0);
    const o = out(second);
    expect(o.applied?.outcomes[0]?.status).toBe('skipped');
    const skipped = reportOf(o);
    expect(skipped).toMatchObject({ run: true, outcome: 'skipped' });
    expect(skipped.reason).toContain('another mirror run is in progress');
    expect(skipped.result.steps).toEqual([]);
    const r = await first;
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(reportOf(json(r as never)).outcome).toBe('ok');
  });

  it('rsync killed mid-run: the run fails and says so; the next run completes', { timeout: 120_000 }, async () => {
    const run = startSlowRun();
    const pid = await rsyncOfRun();
    process.kill(pid, 'SIGKILL');
    const r = await run;
    expect(r.exitCode).toBe(1);
    const failed = reportOf(json(r as never));
    expect(failed.outcome).toBe('failed');
    expect(failed.result.returncode).not.toBe(0);
    expect(failed.reason).toContain('main: rsync was killed by SIGKILL');
    expect(failed.result.steps[0]).toMatchObject({ name: 'main', outcome: 'interrupted' });

    const next = await mirror(w, ['--run']);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(reportOf(out(next)).outcome).toBe('ok');
    expect([...tree(w.vault, { extra: [VAULT_SENTINEL] })]).toEqual([...tree(w.ws)]);
    const doctor = json<{ mirror: { lastResult: string } }>(await ytm(['doctor', '--json'], w.env));
    expect(doctor.mirror.lastResult).toBe('ok');
  });

  it('a stale lease (its run died) is taken over, audited, and the report names the interrupted run', async () => {
    const gone = await execa('sh', ['-c', 'echo $$']);
    const dead = Number(String(gone.stdout).trim());
    const stale = {
      pid: dead,
      startTime: '1',
      host: (await import('node:os')).hostname(),
      planId: 'x',
      since: '2026-01-01T00:00:00Z',
      token: 'old',
    };
    writeFileSync(mirrorLeasePath(w.state), JSON.stringify(stale));
    const r = await mirror(w, ['--run']);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = reportOf(out(r));
    expect(report.outcome).toBe('ok');
    expect(report.previous_run).toMatchObject({ interrupted: true, lease: { pid: dead, since: stale.since } });
    const audit = json<{ entries: { kind: string; data: unknown }[] }>(await ytm(['audit', '--json'], w.env));
    expect(audit.entries.filter((e) => e.kind === 'mirror.lease_takeover')).toHaveLength(1);
  });
});

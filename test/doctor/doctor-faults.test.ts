import { cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../jobs/doctor/report.js';
import { closeAllStallingMounts, mountStallingFs, stallFsUnavailableReason } from '../faults/stall-mount.js';
import { canMount, closeAllMounts, mountTmpfs } from '../faults/tmpfs.js';
import { generateWorkspace } from '../fixtures/workspace.js';
import { countsByCode, runCli } from '../helpers/cli.js';

// Fault injection: a hung share (stalling FUSE mount), a full Hot disk (tmpfs), thresholds, the time budget.
// These need root on Linux; CI runs as root, so they run there.

const dirs: string[] = [];
async function tmp(prefix: string) {
  const d = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  await closeAllStallingMounts();
  await closeAllMounts();
});
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const noFuse = stallFsUnavailableReason();
const noMount = canMount();

describe('doctor faults', () => {
  it.skipIf(noFuse !== null)(
    `reports a hung share as SHARE_HUNG and still finishes (${noFuse ?? 'FUSE available'})`,
    async () => {
      const ws = await generateWorkspace({ dir: await tmp('ytm-hung-'), faults: false, shareState: 'up' });
      const mnt = await tmp('ytm-hung-mnt-');
      const share = await mountStallingFs(mnt, { stalled: false, namespace: 'factory_commentary' });
      try {
        await share.stall();
        const env = {
          ...ws.env,
          YTM_SHARED_STORAGE_ROOT: mnt,
          YTM_SHARED_STORAGE_MOUNT_REQUIRED: '1',
          YTM_SHARE_PROBE_TIMEOUT_MS: '1000',
          YTM_DOCTOR_BUDGET_SEC: '15',
        };
        const run = await runCli(['doctor', '--json'], env, 40_000);
        const report = JSON.parse(run.stdout) as DoctorReport;
        expect(report.share.state).toBe('hung');
        expect(countsByCode(report).SHARE_HUNG).toBe(1);
        // Everything local is still checked: the clean workspace has no other problem.
        expect(
          report.findings.map((f) => f.code).filter((c) => c !== 'SHARE_HUNG' && c !== 'CHECK_INCOMPLETE'),
        ).toEqual([]);
        expect(run.exitCode === 1 || run.exitCode === 3).toBe(true);
      } finally {
        await share.close();
      }
    },
  );

  it.skipIf(noFuse !== null)('stays within its time budget when the share hangs during the scan', async () => {
    const ws = await generateWorkspace({ dir: await tmp('ytm-budget-'), faults: false, shareState: 'up' });
    const mnt = await tmp('ytm-budget-mnt-');
    const share = await mountStallingFs(mnt, { stalled: true, namespace: 'factory_commentary' });
    try {
      // The probe may wait longer than the whole budget: the budget wins and says what was cut short.
      const env = {
        ...ws.env,
        YTM_SHARED_STORAGE_ROOT: mnt,
        YTM_SHARE_PROBE_TIMEOUT_MS: '20000',
        YTM_DOCTOR_BUDGET_SEC: '2',
      };
      const run = await runCli(['doctor', '--json'], env, 40_000);
      const report = JSON.parse(run.stdout) as DoctorReport;
      expect(run.exitCode).toBe(3);
      expect(countsByCode(report).CHECK_INCOMPLETE).toBeGreaterThan(0);
      expect(report.findings.find((f) => f.code === 'CHECK_INCOMPLETE')?.examples.join(' ')).toMatch(
        /time budget of 2s/,
      );
    } finally {
      await share.close();
    }
  });

  // Issue 7 item 15: the vault, the planning root and the link targets all live on the share, and the share stalls
  // in the middle of the doctor's scan (on the first touch of the vault's video/ folder), not before the probe.
  async function shareOnStallingMount(prefix: string) {
    const ws = await generateWorkspace({ dir: await tmp(prefix), faults: false, shareState: 'up' });
    const share = ws.env.YTM_SHARED_STORAGE_ROOT as string;
    const backing = `${share}-backing`;
    await rename(share, backing);
    await mkdir(share);
    await mkdir(path.join(backing, 'ytm_workspaces', 'video', 'input'), { recursive: true });
    await cp(
      path.join(ws.env.YTM_WORKSPACE_ROOT as string, 'planning'),
      path.join(backing, 'ytm_workspaces', 'planning'),
      {
        recursive: true,
      },
    );
    const mount = await mountStallingFs(share, {
      stalled: false,
      backing,
      stallOn: 'ytm_workspaces/video',
    });
    const env = {
      ...ws.env,
      YTM_SHARED_STORAGE_MOUNT_REQUIRED: '1',
      YTM_PLANNING_ROOT: path.join(share, 'ytm_workspaces', 'planning'),
    };
    return { share, vault: path.join(share, 'ytm_workspaces'), mount, env };
  }

  /** The CHECK_INCOMPLETE lines that name a check and a path on the share. */
  function cutLines(report: DoctorReport, share: string): string[] {
    const f = report.findings.find((x) => x.code === 'CHECK_INCOMPLETE');
    return (f?.examples ?? []).filter((e) => /^(vault|links|planning|time budget)/.test(e) && e.includes(`${share}/`));
  }

  it.skipIf(noFuse !== null)(
    'share stalls mid-scan (vault, planning, link targets on it): exit 3 inside the budget, CHECK_INCOMPLETE names the cut check and path',
    async () => {
      const { share, vault, mount, env } = await shareOnStallingMount('ytm-midscan-');
      try {
        const run = await runCli(
          ['doctor', '--json'],
          { ...env, YTM_SHARE_PROBE_TIMEOUT_MS: '3000', YTM_DOCTOR_BUDGET_SEC: '12' },
          20_000,
        );
        const report = JSON.parse(run.stdout) as DoctorReport;
        // The probe answered before the stall: the share was up, and it is the vault scan that was cut.
        expect(report.share.state).toBe('up');
        expect(run.exitCode).toBe(3);
        const cut = cutLines(report, share);
        expect(cut.some((e) => e.startsWith('vault') && e.includes(`scan-abs-links ${vault}`))).toBe(true);
        // One child is left stuck on the share, and the report says which.
        expect(report.share.stuckProbes).toHaveLength(1);
        expect(report.share.stuckProbes[0]).toMatchObject({ root: share, op: 'scan-abs-links', procState: 'D' });
      } finally {
        await mount.close();
      }
    },
    25_000,
  );

  it.skipIf(noFuse !== null)(
    'share stalls mid-scan with a probe timeout longer than the budget: the budget cuts it and names the op and path',
    async () => {
      const { share, vault, mount, env } = await shareOnStallingMount('ytm-midbudget-');
      try {
        const run = await runCli(
          ['doctor', '--json'],
          { ...env, YTM_SHARE_PROBE_TIMEOUT_MS: '60000', YTM_DOCTOR_BUDGET_SEC: '8' },
          16_000,
        );
        const report = JSON.parse(run.stdout) as DoctorReport;
        expect(run.exitCode).toBe(3);
        const cut = cutLines(report, share);
        expect(
          cut.some((e) => e.startsWith('time budget of 8s ran out during:') && e.includes(`scan-abs-links ${vault}`)),
        ).toBe(true);
        expect(report.share.stuckProbes.map((p) => p.op)).toEqual(['scan-abs-links']);
      } finally {
        await mount.close();
      }
    },
    20_000,
  );

  it.skipIf(noMount !== null)(
    'reports DISK_STOP on a full Hot volume (tmpfs) and still prints the report',
    async () => {
      const ws = await generateWorkspace({
        dir: await tmp('ytm-full-'),
        faults: false,
        shareState: 'up',
        channels: 1,
        episodesPerChannel: 3,
      });
      const hot = await tmp('ytm-full-hot-');
      const disk = await mountTmpfs(hot, 2);
      try {
        // Fill the volume completely, then point the workspace at it.
        await writeFile(path.join(hot, 'filler'), Buffer.alloc(2 * 1024 * 1024)).catch(() => {});
        const run = await runCli(['doctor', '--json'], {
          ...ws.env,
          YTM_WORKSPACE_ROOT: hot,
          YTM_DISK_WARN_GIB: '2',
          YTM_DISK_STOP_GIB: '1',
        });
        const report = JSON.parse(run.stdout) as DoctorReport;
        expect(report.disk.freeBytes).toBe(0);
        expect(countsByCode(report).DISK_STOP).toBe(1);
        expect(report.status).toBe('crit');
        expect(run.exitCode).toBe(2);
        // No space for the report file: it says so instead of failing.
        expect(report.reportPath).toBeNull();
      } finally {
        await disk.close();
      }
    },
  );

  it('applies the disk thresholds inclusively: WARN between the lines, STOP at or below the stop line', async () => {
    const ws = await generateWorkspace({
      dir: await tmp('ytm-disk-'),
      faults: false,
      shareState: 'up',
      channels: 1,
      episodesPerChannel: 2,
    });
    const warn = JSON.parse(
      (await runCli(['doctor', '--json'], { ...ws.env, YTM_DISK_WARN_GIB: '1000000', YTM_DISK_STOP_GIB: '0' })).stdout,
    ) as DoctorReport;
    expect(countsByCode(warn)).toEqual({ DISK_WARN: 1 });
    const stop = JSON.parse(
      (await runCli(['doctor', '--json'], { ...ws.env, YTM_DISK_WARN_GIB: '1000000', YTM_DISK_STOP_GIB: '1000000' }))
        .stdout,
    ) as DoctorReport;
    expect(countsByCode(stop)).toEqual({ DISK_STOP: 1 });
  });

  it('reports an unconfigured share and carries on', async () => {
    const ws = await generateWorkspace({
      dir: await tmp('ytm-unconf-'),
      faults: false,
      shareState: 'up',
      channels: 1,
      episodesPerChannel: 2,
    });
    const env = { ...ws.env };
    delete env.YTM_SHARED_STORAGE_ROOT;
    const run = await runCli(['doctor', '--json'], env);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(report.share.state).toBe('unconfigured');
    expect(countsByCode(report).SHARE_UNCONFIGURED).toBe(1);
    expect(run.exitCode).toBe(1);
  });

  it('reports a degraded share (mounted, uploads/<ns> missing)', async () => {
    const ws = await generateWorkspace({
      dir: await tmp('ytm-degr-'),
      faults: false,
      shareState: 'up',
      channels: 1,
      episodesPerChannel: 2,
    });
    await rm(path.join(ws.env.YTM_SHARED_STORAGE_ROOT as string, 'uploads'), { recursive: true, force: true });
    const report = JSON.parse((await runCli(['doctor', '--json'], ws.env)).stdout) as DoctorReport;
    expect(report.share.state).toBe('degraded');
    expect(countsByCode(report).SHARE_DEGRADED).toBe(1);
  });
});

describe('doctor: bad configuration and usage', () => {
  it('names every bad variable at once, exits 3, prints no stack trace', async () => {
    const dir = await tmp('ytm-cfg-');
    await mkdir(path.join(dir, 'ws'));
    const run = await runCli(['doctor'], {
      YTM_WORKSPACE_ROOT: path.join(dir, 'ws'),
      YTM_DISK_WARN_GIB: 'lots',
      YTM_SLACK_APPROVERS: 'dd',
      YTM_SHARED_STORAGE_ROOT: 'relative/path',
    });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('YTM_DISK_WARN_GIB: expected a number');
    expect(run.stderr).toContain('YTM_SLACK_APPROVERS: expected Slack user IDs');
    expect(run.stderr).toContain('YTM_SHARED_STORAGE_ROOT: expected an absolute path');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });

  it('explains a missing workspace root by name', async () => {
    const run = await runCli(['doctor', '--json'], {});
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/YTM_WORKSPACE_ROOT: not set/);
  });

  it('exits 64 with a hint on usage errors', async () => {
    const bad = await runCli(['doctor', '--jsn'], {});
    expect(bad.exitCode).toBe(64);
    expect(bad.stderr).toMatch(/Unknown option '--jsn'/);
    const unknown = await runCli(['docter'], {});
    expect(unknown.exitCode).toBe(64);
    expect(unknown.stderr).toContain('Did you mean `ytm doctor`?');
  });
});

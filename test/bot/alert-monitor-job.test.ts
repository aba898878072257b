// `ytm monitor --json` (the compiled CLI, as the bot runs it): free disk read from a real tmpfs crossing the
// warn and stop lines and back, fed through the alert conditions and state machine (one incident, escalated,
// resolved); the Hot checks and the vault drift taken from the newest doctor report, and refreshed by a doctor
// run of its own once that report is older than YTM_MONITOR_DOCTOR_EVERY_MIN.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditionsOf } from '../../bot/alerts/conditions.js';
import { type MachineState, previousSeverities, step } from '../../bot/alerts/machine.js';
import type { AlertEvent } from '../../bot/alerts/types.js';
import { alertHeadline } from '../../bot/views/alert.js';
import type { MonitorSnapshot } from '../../jobs/monitor/snapshot.js';
import { canMount, closeAllMounts, mountTmpfs } from '../faults/tmpfs.js';
import { generateWorkspace } from '../fixtures/workspace.js';
import { runCli } from '../helpers/cli.js';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'ytm-monitor-job-'));
});
afterAll(async () => {
  await closeAllMounts();
  await rm(tmp, { recursive: true, force: true });
});

async function monitor(env: Record<string, string>): Promise<MonitorSnapshot> {
  const r = await runCli(['monitor', '--json'], env);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as MonitorSnapshot;
}

describe('ytm monitor', () => {
  it.skipIf(canMount() !== null)(
    `disk on a real tmpfs: warn, then stop, then back is one incident, escalated and resolved (${canMount() ?? 'tmpfs'})`,
    async () => {
      const ws = path.join(tmp, 'disk-ws');
      mkdirSync(ws);
      await mountTmpfs(ws, 16);
      // Lines in fractions of a GiB: warn at 12 MiB free, stop at 6 MiB, clear 2 MiB above the line crossed.
      const env = {
        YTM_WORKSPACE_ROOT: ws,
        YTM_STATE_DIR: path.join(tmp, 'disk-state'),
        YTM_DISK_WARN_GIB: String((12 * MIB) / GIB),
        YTM_DISK_STOP_GIB: String((6 * MIB) / GIB),
        YTM_MONITOR_DOCTOR_EVERY_MIN: '0',
      };
      const settings = { forChecks: 2, clearChecks: 2, repeatMs: 4 * 3_600_000, diskMarginBytes: 2 * MIB };
      const fill = (mib: number) => writeFileSync(path.join(ws, 'ballast'), Buffer.alloc(mib * MIB));
      let state: MachineState = { alerts: {}, silences: {} };
      const events: AlertEvent[] = [];
      const codes: string[][] = [];
      let t = Date.parse('2026-12-02T09:00:00Z');
      // Free space: 16, 8 (warn), 8, 3 (stop), 3, 7 (stop held: within 2 MiB of the stop line), 9 (warn), 13 (warn
      // held: within the margin of the warn line), 15, 15 (cleared).
      for (const used of [0, 8, 8, 13, 13, 9, 7, 3, 1, 1]) {
        if (used === 0) rmSync(path.join(ws, 'ballast'), { force: true });
        else fill(used);
        const s = await monitor(env);
        expect(s.disk.freeBytes).toBeLessThanOrEqual(16 * MIB);
        codes.push(s.findings.map((f) => f.code).filter((c) => c.startsWith('DISK_')));
        const r = step(state, conditionsOf(s, previousSeverities(state), settings), t, settings);
        state = r.state;
        events.push(...r.events.filter((e) => e.type !== 'silence_ended' && e.alert.key === 'disk'));
        t += 60_000;
      }
      expect(codes.map((c) => c.join())).toEqual([
        '',
        'DISK_WARN',
        'DISK_WARN',
        'DISK_STOP',
        'DISK_STOP',
        'DISK_WARN',
        'DISK_WARN',
        '',
        '',
        '',
      ]);
      expect(events.map((e) => (e.type === 'changed' ? `changed:${e.alert.variant}` : e.type))).toEqual([
        'fired',
        'changed:stop',
        'changed:warn',
        'resolved',
      ]);
      const stop = events[1];
      if (stop?.type !== 'changed') throw new Error('no escalation');
      expect(alertHeadline(stop.alert)).toMatch(/^Disk: 0(\.\d)? GiB free, below the 0(\.\d)? GiB stop line$/);
      expect(new Set(events.map((e) => (e.type === 'silence_ended' ? '' : e.alert.incident))).size).toBe(1);
    },
    120_000,
  );

  it('takes the Hot checks and the drift from the newest doctor report, and refreshes it when it is old', async () => {
    const ws = await generateWorkspace({
      dir: path.join(tmp, 'hot'),
      faults: true,
      channels: 2,
      episodesPerChannel: 6,
    });
    const env = { ...ws.env, YTM_MONITOR_DOCTOR_EVERY_MIN: '0' };
    const before = await monitor(env);
    expect(before.doctor).toBeNull();
    expect(before.findings.filter((f) => f.code.startsWith('HOT_'))).toEqual([]);

    const doctor = await runCli(['doctor', '--json'], ws.env);
    const report = JSON.parse(doctor.stdout) as { reportPath: string; findings: { code: string }[] };
    const hotCodes = report.findings
      .map((f) => f.code)
      .filter((c) => c.startsWith('HOT_'))
      .sort();
    expect(hotCodes.length).toBeGreaterThan(0);
    const fromReport = await monitor(env);
    expect(fromReport.doctor).toMatchObject({ ranNow: false, reportPath: report.reportPath });
    expect(
      fromReport.findings
        .map((f) => f.code)
        .filter((c) => c.startsWith('HOT_'))
        .sort(),
    ).toEqual(hotCodes);
    expect(fromReport.drift).toBeNull();

    // The mirror's dry run adds `mirror.drift` to the doctor report: the monitor carries it.
    const withDrift = {
      ...JSON.parse(readFileSync(report.reportPath, 'utf8')),
      mirror: { drift: { created: 1200, updated: 3, deleted: 1, bytes: 5, measuredAt: '2026-12-02T09:00:00Z' } },
    };
    writeFileSync(report.reportPath, JSON.stringify(withDrift));
    const drift = await monitor(env);
    expect(drift.drift).toEqual({
      created: 1200,
      updated: 3,
      deleted: 1,
      bytes: 5,
      measuredAt: '2026-12-02T09:00:00Z',
    });

    // A report older than YTM_MONITOR_DOCTOR_EVERY_MIN: the monitor runs the doctor itself (a new report).
    const refreshed = await monitor({ ...ws.env, YTM_MONITOR_DOCTOR_EVERY_MIN: '0.0001' });
    expect(refreshed.doctor?.ranNow).toBe(true);
    expect(
      refreshed.findings
        .map((f) => f.code)
        .filter((c) => c.startsWith('HOT_'))
        .sort(),
    ).toEqual(hotCodes);
    expect(readdirSync(path.dirname(report.reportPath)).length).toBe(2);
  }, 120_000);
});

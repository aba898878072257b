// Issue 7 item 6: a hung share must not pile up processes. Every probe of a stalled mount leaves a child in
// state D that no signal ends; 30 probe rounds from separate processes (3 doctor runs + 27 library probes) must
// leave at most one, and the doctor and `ytm status` must say so with its pid and since-time.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../jobs/doctor/report.js';
import { compiledEntry } from '../../../lib/guard/entry.js';
import { leftovers } from '../../faults/leftovers.js';
import { closeAllStallingMounts, mountStallingFs, stallFsUnavailableReason } from '../../faults/stall-mount.js';
import { runCli } from '../../helpers/cli.js';
import { assertBuilt } from './dist-check.js';

const NS = 'factory_commentary';
const noFuse = stallFsUnavailableReason();
let tmp: string;

beforeAll(async () => {
  assertBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'ytm-pileup-'));
});
afterEach(async () => {
  await closeAllStallingMounts();
});
afterAll(async () => {
  await closeAllStallingMounts();
  await rm(tmp, { recursive: true, force: true });
});

interface Status {
  share: { state: string; reason: string };
  stuckProbes: { root: string; pid: number; since: string; procState: string | null }[];
}

describe('probe pile-up on a hung share', () => {
  it.skipIf(noFuse !== null)(
    `30 probe rounds from separate processes leave at most one stuck child, and say so (${noFuse ?? 'FUSE'})`,
    async () => {
      const root = path.join(tmp, 'share');
      const stateDir = path.join(tmp, 'state');
      const ws = path.join(tmp, 'ws');
      await mkdir(root, { recursive: true });
      await mkdir(ws, { recursive: true });
      const marker = `YTM_TEST_PILEUP=${randomUUID()}`;
      const env = {
        YTM_WORKSPACE_ROOT: ws,
        YTM_SHARED_STORAGE_ROOT: root,
        YTM_SHARED_STORAGE_NAMESPACE: NS,
        YTM_SHARED_STORAGE_MOUNT_REQUIRED: '1',
        YTM_STATE_DIR: stateDir,
        YTM_SHARE_PROBE_TIMEOUT_MS: '5000',
        YTM_DOCTOR_BUDGET_SEC: '20',
        YTM_DISK_WARN_GIB: '0',
        YTM_DISK_STOP_GIB: '0',
        YTM_TEST_PILEUP: marker.split('=')[1] as string,
      };
      // 9 processes × 3 probes each through the library, each process with its own children.
      const probeScript = [
        `import { checkShare } from ${JSON.stringify(compiledEntry('lib/share/check.js'))};`,
        'const states = [];',
        'for (let i = 0; i < 3; i++) {',
        `  const r = await checkShare({ root: ${JSON.stringify(root)}, namespace: '${NS}', stateDir: ${JSON.stringify(stateDir)}, mountRequired: true, timeoutMs: 5000 });`,
        '  states.push(r.state);',
        '}',
        'console.log(JSON.stringify(states));',
      ].join('\n');
      const m = await mountStallingFs(root, { stalled: true, namespace: NS });
      try {
        const probes = Array.from({ length: 9 }, () =>
          execa(process.execPath, ['--input-type=module', '-e', probeScript], {
            env: { ...process.env, ...env },
            timeout: 60_000,
            reject: false,
          }),
        );
        const doctors = Array.from({ length: 2 }, () => runCli(['doctor', '--json'], env, 60_000));
        const [probeRuns, doctorRuns] = await Promise.all([Promise.all(probes), Promise.all(doctors)]);
        for (const p of probeRuns) {
          expect(p.exitCode, p.stderr).toBe(0);
          expect(JSON.parse(p.stdout)).toEqual(['hung', 'hung', 'hung']);
        }
        // Every prober has exited: whatever is left of them is a guard child stuck on the mount. (A child killed at
        // its timeout before its request reached the file system does die, so there may be none yet.)
        expect((await leftovers(marker)).length).toBeLessThanOrEqual(1);

        // Round 30: a doctor run once the burst is over.
        doctorRuns.push(await runCli(['doctor', '--json'], env, 60_000));
        const left = await leftovers(marker);
        expect(left.length).toBe(1);
        expect(left[0]?.state).toBe('D');
        const stuckPid = left[0]?.pid;
        const reports = doctorRuns.map((d) => JSON.parse(d.stdout) as DoctorReport);
        for (const report of reports) {
          expect(report.share.state).toBe('hung');
          expect(report.share.stuckProbes.length).toBeLessThanOrEqual(1);
        }
        expect(reports[2]?.share.stuckProbes).toEqual([
          { root, op: 'probe-share', pid: stuckPid, since: expect.any(String), procState: 'D' },
        ]);

        // `ytm status` names it with its since-time and adds no child of its own.
        const status = await runCli(['status', '--json'], env);
        expect(status.exitCode, status.stderr).toBe(0);
        const s = JSON.parse(status.stdout) as Status;
        expect(s.share.state).toBe('hung');
        expect(s.stuckProbes).toEqual([
          { root, op: 'probe-share', pid: stuckPid, since: expect.any(String), procState: 'D' },
        ]);
        expect(s.share.reason).toContain(`stuck since ${s.stuckProbes[0]?.since}`);
        expect(Number.isNaN(Date.parse(s.stuckProbes[0]?.since ?? ''))).toBe(false);
        const text = await runCli(['status'], env);
        expect(text.stdout).toContain('1 probe child stuck on the share');
        expect(text.stdout).toContain(
          `pid ${stuckPid} (state D) probe-share on ${root} since ${s.stuckProbes[0]?.since}`,
        );
        expect(await leftovers(marker)).toHaveLength(1);

        // The share answers again: the stuck child finishes, and its lease is taken over by the next probe.
        await m.unstall();
        await expect
          .poll(async () => JSON.parse((await runCli(['status', '--json'], env)).stdout) as Status, {
            timeout: 15_000,
            interval: 200,
          })
          .toMatchObject({ share: { state: 'up' }, stuckProbes: [] });
        expect(await leftovers(marker)).toHaveLength(0);
      } finally {
        await m.close();
      }
    },
    120_000,
  );
});

// Issue 7 item 6 on a real SMB share: with smbd frozen (SIGSTOP), probe rounds from separate processes and a doctor
// run leave at most one child stuck on the share; thawed, the share is up again and the probe lease is released.
// Needs a build: the probe runs in dist/lib/guard/child.js.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../jobs/doctor/report.js';
import { compiledEntry } from '../../lib/guard/entry.js';
import { checkShare } from '../../lib/share/check.js';
import { listProbeLeases } from '../../lib/share/probe-lease.js';
import { leftovers } from '../faults/leftovers.js';
import { smbUnavailable, startSmbShare } from '../faults/smb-share.js';
import { runCli } from '../helpers/cli.js';
import { assertBuilt } from '../lib/share/dist-check.js';

const NS = 'factory_commentary';

describe.skipIf(smbUnavailable() !== null)('probe lease on a frozen SMB share', () => {
  it('10+ probe rounds and a doctor run leave at most one stuck child; thawed, up again and the lease released', async () => {
    assertBuilt();
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'ytm-smb-lease-'));
    // A long SMB timeout keeps the frozen server's callers blocked for the whole test.
    const share = await startSmbShare({ smbTimeoutMs: 60_000 });
    try {
      mkdirSync(path.join(share.serverDir, 'uploads', NS), { recursive: true });
      const stateDir = path.join(tmp, 'state');
      const ws = path.join(tmp, 'ws');
      mkdirSync(ws, { recursive: true });
      const id = randomUUID();
      const env = {
        YTM_WORKSPACE_ROOT: ws,
        YTM_SHARED_STORAGE_ROOT: share.root,
        YTM_SHARED_STORAGE_NAMESPACE: NS,
        YTM_SHARED_STORAGE_MOUNT_REQUIRED: '1',
        YTM_STATE_DIR: stateDir,
        YTM_SHARE_PROBE_TIMEOUT_MS: '5000',
        YTM_DISK_WARN_GIB: '0',
        YTM_DISK_STOP_GIB: '0',
        YTM_TEST_PILEUP: id,
      };
      const probe = (timeoutMs: number) =>
        checkShare({ root: share.root, namespace: NS, stateDir, mountRequired: true, timeoutMs });
      expect((await probe(15_000)).state).toBe('up');

      share.freeze();
      const script = [
        `import { checkShare } from ${JSON.stringify(compiledEntry('lib/share/check.js'))};`,
        'const states = [];',
        'for (let i = 0; i < 2; i++) {',
        `  const r = await checkShare({ root: ${JSON.stringify(share.root)}, namespace: '${NS}', stateDir: ${JSON.stringify(stateDir)}, mountRequired: true, timeoutMs: 5000 });`,
        '  states.push(r.state);',
        '}',
        'console.log(JSON.stringify(states));',
      ].join('\n');
      const runs = await Promise.all(
        Array.from({ length: 5 }, () =>
          execa(process.execPath, ['--input-type=module', '-e', script], {
            env: { ...process.env, ...env },
            timeout: 90_000,
            reject: false,
          }),
        ),
      );
      for (const r of runs) expect(JSON.parse(r.stdout)).toEqual(['hung', 'hung']);
      const doctor = JSON.parse((await runCli(['doctor', '--json'], env, 90_000)).stdout) as DoctorReport;
      expect(doctor.share.state).toBe('hung');
      expect(doctor.share.stuckProbes.length).toBeLessThanOrEqual(1);
      expect((await leftovers(`YTM_TEST_PILEUP=${id}`)).length).toBeLessThanOrEqual(1);
      expect((await listProbeLeases(stateDir)).filter((l) => l.status === 'stuck').length).toBeLessThanOrEqual(1);

      share.thaw();
      await expect.poll(async () => (await probe(15_000)).state, { timeout: 30_000, interval: 200 }).toBe('up');
      expect(await listProbeLeases(stateDir)).toEqual([]);
    } finally {
      share.thaw();
      await share.stop();
      await rm(tmp, { recursive: true, force: true });
    }
  }, 180_000);
});

// The mirror when the share is not up: a stub, a bare (unmounted) mountpoint, a hung mount (FUSE stall). Each
// is a skip recorded in a report (exit 0), and rsync is never started (a recording YTM_RSYNC_BIN sees no call).
import { mkdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { STUB_MARKER } from '../../lib/share/state.js';
import { closeAllStallingMounts, mountStallingFs, stallFsUnavailableReason } from '../faults/stall-mount.js';
import { type MirrorWorkspace, mirror, mirrorLayout, mirrorWorkspace, out, reportOf } from './mirror/support.js';
import { fakeRsync } from './support/fake-rsync.js';
import { miniWorkspace, NS, writeFile } from './support/workspace.js';

afterAll(closeAllStallingMounts);

let w: MirrorWorkspace | undefined;
afterEach(() => {
  if (w) rmSync(w.dir, { recursive: true, force: true });
  w = undefined;
});

async function expectSkip(ws: MirrorWorkspace, state: string, env: Record<string, string> = {}): Promise<void> {
  const fake = fakeRsync(ws.dir);
  const r = await mirror(ws, ['--run', '--scheduled'], { YTM_RSYNC_BIN: fake.bin, ...env });
  expect(r.exitCode, r.stderr).toBe(0);
  const o = out(r);
  expect(o.outcome).toBe('skipped');
  const report = reportOf(o);
  expect(report).toMatchObject({ run: true, outcome: 'skipped', share: { state } });
  expect(report.reason).toContain(`the share is ${state}`);
  expect(report.result.steps).toEqual([]);
  expect(fake.calls()).toEqual([]);
}

describe('mirror skips when the share is not up', () => {
  it('stub (README_MOUNTPOINT.txt): skipped, reported, no rsync', async () => {
    w = mirrorWorkspace();
    writeFile(path.join(w.share, STUB_MARKER), 'not mounted');
    await expectSkip(w, 'stub');
  });

  it('a bare mountpoint (not mounted, a mount required): skipped, reported, no rsync', async () => {
    w = mirrorWorkspace();
    await expectSkip(w, 'unmounted', { YTM_SHARED_STORAGE_MOUNT_REQUIRED: '1' });
  });

  it.skipIf(stallFsUnavailableReason() !== null)(
    'a hung mount (FUSE stall): skipped within the probe timeout, no rsync',
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'ytm-mirror-hung-'));
      mkdirSync(path.join(dir, 'share'));
      const share = await mountStallingFs(path.join(dir, 'share'), { stalled: false, namespace: NS });
      try {
        w = mirrorLayout(miniWorkspace({ shareRoot: share.dir, mountRequired: true, prefix: 'ytm-mirror-hung-ws-' }));
        await share.stall();
        await expectSkip(w, 'hung', { YTM_SHARE_PROBE_TIMEOUT_MS: '1000' });
      } finally {
        await share.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

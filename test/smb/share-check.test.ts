// The share-state check (lib/share) on a real SMB share: up, stub, degraded and hung (a frozen smbd) come out as on
// the Mac's smbfs mount, and a killed server (EIO) is degraded, never 'up'.
// Needs a build: the probe runs in dist/lib/guard/child.js.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkShare } from '../../lib/share/check.js';
import { type SmbShare, smbUnavailable, startSmbShare } from '../faults/smb-share.js';
import { assertBuilt } from '../lib/share/dist-check.js';

const NS = 'factory_commentary';
const OK_TIMEOUT = 15_000; // probes that should answer: generous, so a loaded machine cannot make them 'hung'

describe.skipIf(smbUnavailable() !== null)('checkShare on a real SMB share', () => {
  let share: SmbShare;
  const check = (timeoutMs = OK_TIMEOUT) =>
    checkShare({ root: share.root, namespace: NS, mountRequired: true, timeoutMs });
  beforeAll(async () => {
    assertBuilt();
    share = await startSmbShare();
  });
  afterAll(() => share?.stop());
  beforeEach(() => {
    rmSync(path.join(share.serverDir, 'uploads'), { recursive: true, force: true });
    rmSync(path.join(share.serverDir, 'README_MOUNTPOINT.txt'), { force: true });
    mkdirSync(path.join(share.serverDir, 'uploads', NS), { recursive: true });
  });

  it('up: the bind-mounted smbnetfs root is a mountpoint with uploads/<ns>', async () => {
    expect(await check()).toMatchObject({
      state: 'up',
      isMountpoint: true,
      fsType: 'fuse.smbnetfs',
      base: path.join(share.root, 'uploads', NS),
    });
  });

  it('stub: README_MOUNTPOINT.txt on the server makes the mounted share a stub', async () => {
    writeFileSync(path.join(share.serverDir, 'README_MOUNTPOINT.txt'), 'offline\n');
    expect(await check()).toMatchObject({
      state: 'stub',
      reason: 'mountpoint stub detected (README_MOUNTPOINT.txt)',
      isMountpoint: true,
    });
  });

  it('degraded: mounted, but no uploads/<ns> on the server', async () => {
    rmSync(path.join(share.serverDir, 'uploads', NS), { recursive: true });
    expect(await check()).toMatchObject({
      state: 'degraded',
      isMountpoint: true,
      reason: `shared storage mounted but base is missing: ${path.join(share.root, 'uploads', NS)}`,
    });
  });

  it('hung: a frozen smbd is reported hung within the timeout; thawed, the share is up again', async () => {
    const timeoutMs = 1500;
    share.freeze();
    try {
      expect(await check(timeoutMs)).toMatchObject({
        state: 'hung',
        reason: `share probe timed out after ${timeoutMs}ms`,
        isMountpoint: null,
      });
    } finally {
      share.thaw();
    }
    expect((await check()).state).toBe('up');
  });

  it('a killed server: EIO from the share is degraded ("treat as offline"); after a restart it is up again', async () => {
    await share.killServer();
    try {
      expect(await check()).toMatchObject({
        state: 'degraded',
        reason: expect.stringMatching(/treat as offline.*EIO/),
      });
    } finally {
      await share.restartServer();
    }
    expect((await check()).state).toBe('up');
  });
});

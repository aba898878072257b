// The mirror against the real SMB share (smbd served over smbnetfs, see test/faults/smb-share.ts): plain files
// mirror and round-trip; a frozen smbd is a skip without rsync; smbd killed mid-run fails the run with a report
// that says so, and after the server restarts the next run completes.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { mirrorLeasePath } from '../../jobs/mirror/lease.js';
import { VAULT_SENTINEL } from '../../lib/paths.js';
import { smbUnavailable } from '../faults/smb-share.js';
import { smbSuite } from '../smb/support.js';
import { mirror, mirrorLayout, out, reportOf, tree } from './mirror/support.js';
import { fakeRsync } from './support/fake-rsync.js';
import { json, YTM_ENTRY } from './support/run.js';
import { writeFile } from './support/workspace.js';

/** Where the vault lies on the server's own disk (checked there: never blocks on SMB). */
const onServer = (serverDir: string) => path.join(serverDir, 'ytm_workspaces');

describe.skipIf(smbUnavailable() !== null)('mirror to the real SMB share', () => {
  const s = smbSuite();

  it('plain files: the vault on the server equals the Hot tree except the exclusions', {
    timeout: 180_000,
  }, async () => {
    const w = mirrorLayout(s.w, { japanese: false });
    const r = await mirror(w, ['--bootstrap-dest', '--run']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(reportOf(out(r)).outcome).toBe('ok');
    expect([...tree(onServer(s.share.serverDir), { extra: [VAULT_SENTINEL] })]).toEqual([...tree(w.ws)]);
    rmSync(path.join(w.ws, 'top.txt'));
    const again = await mirror(w, ['--run']);
    expect(reportOf(out(again)).counts).toMatchObject({ deleted: 1 });
    expect([...tree(onServer(s.share.serverDir), { extra: [VAULT_SENTINEL] })]).toEqual([...tree(w.ws)]);
  });

  it('smbd frozen: the run is a skip, rsync never starts', { timeout: 180_000 }, async () => {
    const w = mirrorLayout(s.w, { japanese: false });
    expect((await mirror(w, ['--bootstrap-dest', '--run'])).exitCode).toBe(0);
    const fake = fakeRsync(w.dir);
    s.share.freeze();
    try {
      const r = await mirror(w, ['--run', '--scheduled'], {
        YTM_RSYNC_BIN: fake.bin,
        YTM_SHARE_PROBE_TIMEOUT_MS: '1500',
      });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(reportOf(out(r))).toMatchObject({ outcome: 'skipped', share: { state: 'hung' } });
      expect(fake.calls()).toEqual([]);
    } finally {
      s.share.thaw();
    }
  });

  it('smbd killed mid-run: the run fails and says so; after a restart the next run completes', {
    timeout: 240_000,
  }, async () => {
    const w = mirrorLayout(s.w, { japanese: false });
    expect((await mirror(w, ['--bootstrap-dest', '--run'])).exitCode).toBe(0);
    writeFile(path.join(w.ws, 'big', 'render.mp4'), randomBytes(8 * 1024 * 1024));
    const run = execa(process.execPath, [YTM_ENTRY, 'mirror', '--run', '--yes', '--json'], {
      env: { ...w.env, YTM_RSYNC_BWLIMIT_KBPS: '2000', YTM_RSYNC_TIMEOUT_SEC: '20' },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: 200_000,
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const lease = (() => {
        try {
          return JSON.parse(readFileSync(mirrorLeasePath(w.state), 'utf8')) as { rsync?: { pass: string } };
        } catch {
          return null;
        }
      })();
      if (lease?.rsync?.pass === 'main') break;
      if (Date.now() > deadline) throw new Error('no rsync started');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 1000));
    await s.share.killServer();
    const r = await run;
    expect(r.exitCode).toBe(1);
    const failed = reportOf(json(r as never));
    expect(failed.outcome).toBe('failed');
    expect(failed.reason).toMatch(/rsync exit \d+|EDESTGONE|killed/);
    expect(failed.result.steps[0]).toMatchObject({ name: 'main' });
    expect(failed.result.steps[0]?.outcome).not.toBe('ok');

    await s.share.restartServer();
    const next = await mirror(w, ['--run']);
    expect(next.exitCode, next.stdout + next.stderr).toBe(0);
    expect(reportOf(out(next)).outcome).toBe('ok');
    expect([...tree(onServer(s.share.serverDir), { extra: [VAULT_SENTINEL] })]).toEqual([...tree(w.ws)]);
  });
});

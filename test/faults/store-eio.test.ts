// EIO from the share: the verified copy fails once with EIO (a FUSE passthrough whose fsync refuses once), and
// store retries once with rsync into a temp name, verifies it, then renames it into place (facts §4.10 step 4).
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eioUnavailable, withEioShare } from '../jobs/support/eio-mount.js';
import { fakeRsync } from '../jobs/support/fake-rsync.js';
import { filesUnder, isTemp } from '../jobs/support/files.js';
import { json, ytm } from '../jobs/support/run.js';
import { miniWorkspace, sha256Of } from '../jobs/support/workspace.js';

const WAV = 'audio/final/CH02/043/CH02-043.wav';

describe.skipIf(eioUnavailable !== null)('EIO from the share', () => {
  it('falls back to rsync once, verifies, and places the file atomically', async () => {
    await withEioShare(async ({ share, flag }) => {
      const w = miniWorkspace({ shareRoot: share, mountRequired: true, prefix: 'ytm-eio-ws-' });
      try {
        writeFileSync(flag, '');
        const r = await ytm(['store', WAV, '--run', '--json'], w.env);
        expect(r.exitCode, r.stderr).toBe(0);
        const out = json<{ applied: { outcomes: { status: string; message: string }[] } }>(r);
        expect(out.applied.outcomes[0]).toMatchObject({ status: 'done', message: 'copied with rsync and verified' });
        expect(existsSync(flag)).toBe(false);
        const dest = path.join(w.base, 'audio_final/CH02/043/CH02-043.wav');
        expect(sha256Of(dest)).toBe(sha256Of(path.join(w.ws, WAV)));
        expect(filesUnder(w.base).filter(isTemp)).toEqual([]);
      } finally {
        rmSync(w.dir, { recursive: true, force: true });
      }
    });
  });

  it('the rsync retry gets the configured options: no --timeout at 0, --bwlimit, --whole-file off', async () => {
    await withEioShare(async ({ share, flag }) => {
      const w = miniWorkspace({ shareRoot: share, mountRequired: true, prefix: 'ytm-eio-ws-' });
      try {
        writeFileSync(flag, '');
        const rsync = fakeRsync(w.dir);
        const r = await ytm(['store', WAV, '--run', '--json'], {
          ...w.env,
          YTM_RSYNC_BIN: rsync.bin,
          YTM_RSYNC_TIMEOUT_SEC: '0',
          YTM_RSYNC_WHOLE_FILE: '0',
          YTM_RSYNC_BWLIMIT_KBPS: '20000',
        });
        expect(r.exitCode, r.stderr).toBe(0);
        const out = json<{ applied: { outcomes: { status: string; message: string }[] } }>(r);
        expect(out.applied.outcomes[0]).toMatchObject({ status: 'done', message: 'copied with rsync and verified' });
        // lib/rsync asks the binary for its version first (to pick the options it supports); then the copy.
        const copies = rsync.calls().filter((argv) => !argv.includes('--version'));
        expect(copies.map((argv) => argv.slice(0, -2))).toEqual([['--bwlimit=20000']]);
        expect(sha256Of(path.join(w.base, 'audio_final/CH02/043/CH02-043.wav'))).toBe(sha256Of(path.join(w.ws, WAV)));
      } finally {
        rmSync(w.dir, { recursive: true, force: true });
      }
    });
  });

  it('a failing rsync fallback is a clear failure: nothing under the final name, source intact', async () => {
    await withEioShare(async ({ share, flag }) => {
      const w = miniWorkspace({ shareRoot: share, mountRequired: true, prefix: 'ytm-eio-ws-' });
      try {
        writeFileSync(flag, '');
        const before = sha256Of(path.join(w.ws, WAV));
        const r = await ytm(['store', WAV, '--run', '--json'], {
          ...w.env,
          YTM_RSYNC_BIN: path.join(w.dir, 'no-rsync'),
        });
        expect(r.exitCode).toBe(1);
        const out = json<{ applied: { state: string; outcomes: { status: string; message: string }[] } }>(r);
        expect(out.applied.state).toBe('failed');
        expect(out.applied.outcomes[0]?.message).toContain('rsync fallback failed');
        expect(filesUnder(w.base).filter((f) => !f.startsWith('manifests/'))).toEqual([]);
        expect(sha256Of(path.join(w.ws, WAV))).toBe(before);
      } finally {
        rmSync(w.dir, { recursive: true, force: true });
      }
    });
  });
});

// The SMB server dies in the middle of a `--move` store (issue 7 item 2 on SMB): smbd is killed while the copy's
// last bytes are in flight, so the share stays mounted but every call under it fails. The action fails and says
// so, the source stays, nothing lands on the local disk under the mountpoint, and after the server restarts a
// re-run completes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lookupJob } from '../../jobs/apply/registry.js';
import { applyStoredPlan } from '../../jobs/engine/apply.js';
import type { ProgressEvent } from '../../jobs/engine/types.js';
import { type SmbShare, smbUnavailable, startSmbShare, stopAllSmbShares } from '../faults/smb-share.js';
import { bindMount, closeAllMounts } from '../faults/tmpfs.js';
import { storedPlan, storeInput } from '../jobs/support/engine.js';
import { json, ytm } from '../jobs/support/run.js';
import { sha256Of } from '../jobs/support/workspace.js';
import { onServer, smbWorkspace } from './support.js';

afterAll(async () => {
  await closeAllMounts();
  await stopAllSmbShares();
});

const WAV = 'audio/final/CH02/044/CH02-044.wav';
const DEST = 'audio_final/CH02/044/CH02-044.wav';

/** What lies on the local disk under the mountpoint, seen through a bind mount of its parent (submounts excluded). */
async function underMountpoint(share: SmbShare, view: string): Promise<string[]> {
  const m = await bindMount(path.dirname(share.root), view);
  try {
    return readdirSync(path.join(view, path.basename(share.root)));
  } finally {
    await m.close();
  }
}

describe.skipIf(smbUnavailable() !== null)('the SMB server dies during a --move store', () => {
  it('the action fails, the source stays, nothing lands on the local disk; after a restart a re-run completes', {
    timeout: 120_000,
  }, async () => {
    const share = await startSmbShare();
    const view = mkdtempSync(path.join(tmpdir(), 'ytm-smb-view-'));
    const w = smbWorkspace(share);
    try {
      const src = path.join(w.ws, WAV);
      writeFileSync(src, randomBytes(8 * 1024 * 1024));
      const before = sha256Of(src);
      const { planId, ctx } = await storedPlan(w.env, storeInput({ path: WAV, mode: 'move' }));

      let killed: Promise<void> | undefined;
      const progress = (e: ProgressEvent) => {
        // Every byte is written to the temp file on the share; fsync, placing and the read-back are still to come.
        if (!killed && e.stage === 'copy' && e.bytes !== undefined && e.bytes === e.totalBytes) {
          killed = share.killServer();
        }
      };
      const summary = await applyStoredPlan(w.state, planId, { ...ctx, progress }, lookupJob);
      await killed;
      expect(killed).toBeDefined();
      expect(summary.state).toBe('failed');
      expect(summary.outcomes[0]?.status).toBe('failed');
      // The copy hit EIO, so the single rsync retry ran, and failed against the dead server too.
      expect(summary.outcomes[0]?.message).toMatch(/rsync fallback failed .*Input\/output error/s);
      expect(sha256Of(src)).toBe(before);
      expect(await underMountpoint(share, view)).toEqual([]);

      await share.restartServer();
      const r = await ytm(['store', WAV, '--move', '--run', '--yes', '--json'], w.env);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(json<{ applied: { state: string } }>(r).applied.state).toBe('succeeded');
      expect(sha256Of(onServer(share, w, DEST))).toBe(before);
      expect(readdirSync(path.dirname(src))).not.toContain('CH02-044.wav');
    } finally {
      await closeAllMounts();
      await share.stop();
      rmSync(w.dir, { recursive: true, force: true });
      rmSync(view, { recursive: true, force: true });
    }
  });
});

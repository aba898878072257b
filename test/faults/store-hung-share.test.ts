// Storing while the share hangs (issue 7 item 16): the share is a FUSE mount whose every stat blocks (a dead SMB
// server). `ytm store --run` must not hang with it: the probe times out, the store goes to the local outbox with
// the "check failed" reason, and the command exits. Elapsed time is not asserted (that is the bench's job); the
// vitest timeout is the bound.
import { mkdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesUnder, manifestsIn } from '../jobs/support/files.js';
import { json, ytm } from '../jobs/support/run.js';
import { miniWorkspace, NS, sha256Of } from '../jobs/support/workspace.js';
import { closeAllStallingMounts, mountStallingFs, stallFsUnavailableReason } from './stall-mount.js';

afterAll(closeAllStallingMounts);

const WAV = 'audio/final/CH02/043/CH02-043.wav';

describe.skipIf(stallFsUnavailableReason() !== null)('store while the share hangs (FUSE stall)', () => {
  it('goes to the local outbox with the check-failed reason, and the command exits', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ytm-store-hung-'));
    mkdirSync(path.join(dir, 'share'));
    const share = await mountStallingFs(path.join(dir, 'share'), { stalled: false, namespace: NS }).catch(
      async (err) => {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      },
    );
    // The fixture's `mkdir -p` of uploads/<ns> finds it served by the mount, before the stall starts.
    const w = miniWorkspace({ shareRoot: share.dir, mountRequired: true, prefix: 'ytm-store-hung-ws-' });
    try {
      await share.stall();
      const r = await ytm(
        ['store', WAV, '--run', '--json'],
        { ...w.env, YTM_SHARE_PROBE_TIMEOUT_MS: '1000' },
        {
          timeoutMs: 90_000,
        },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      const out = json<{
        plan: { preconditions: { share: { state: string; offline: boolean } } };
        applied: { state: string };
      }>(r);
      expect(out.plan.preconditions.share).toMatchObject({ state: 'hung', offline: true });
      expect(out.applied.state).toBe('succeeded');

      const dest = path.join(w.outboxBase, 'audio_final', 'CH02', '043', 'CH02-043.wav');
      expect(sha256Of(dest)).toBe(sha256Of(path.join(w.ws, WAV)));
      const manifests = manifestsIn(w.outboxBase);
      expect(manifests).toHaveLength(1);
      expect(manifests[0]?.doc.shared.offline_fallback).toBe(true);
      expect(manifests[0]?.doc.shared.offline_reason).toMatch(/^shared storage base check failed \(treat as offline\)/);
      expect(filesUnder(w.outboxBase).filter((f) => !f.startsWith('manifests/'))).toEqual([
        'audio_final/CH02/043/CH02-043.wav',
      ]);
    } finally {
      await share.close();
      rmSync(w.dir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The share drops during an apply (issue 7 item 2). The share is a bind mount of a tmpfs "server disk", so
// unmounting it leaves a bare mountpoint (the Mac's own disk) while what was stored survives for the remount.
// The drop happens at an exact point: from the engine's progress event announcing an action, i.e. after the
// re-check and between two actions. Nothing may be created under the bare mountpoint, the failed actions keep
// their sources, and no manifest claims a copy that is not on the share.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lookupJob } from '../../jobs/apply/registry.js';
import { applyStoredPlan } from '../../jobs/engine/apply.js';
import type { ApplySummary, JobContext, ProgressEvent } from '../../jobs/engine/types.js';
import { outboxFlushJob } from '../../jobs/outbox/flush.js';
import type { StoreAction } from '../../jobs/store/action.js';
import { getPlan } from '../../lib/approvals/store.js';
import { storedJobPlan, storedPlan, storeInput } from '../jobs/support/engine.js';
import { filesUnder, manifestsIn } from '../jobs/support/files.js';
import { json, ytm } from '../jobs/support/run.js';
import { type MiniWorkspace, miniWorkspace, NS, sha256Of } from '../jobs/support/workspace.js';
import { bindMount, canMount, closeAllMounts, mountTmpfs } from './tmpfs.js';

interface DroppingShare {
  /** The mountpoint (YTM_SHARED_STORAGE_ROOT). */
  share: string;
  w: MiniWorkspace;
  /** Unmount the share now (synchronous, so it can run inside a progress callback). */
  drop(): void;
  remount(): Promise<void>;
}

afterAll(closeAllMounts);

const SHARE_GONE = /the share is no longer mounted at .*; the source .* was left in place/;

async function withDroppingShare(fn: (s: DroppingShare) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ytm-share-drop-'));
  const disk = path.join(dir, 'server-disk');
  const share = path.join(dir, 'share');
  mkdirSync(disk);
  mkdirSync(share);
  let w: MiniWorkspace | undefined;
  try {
    await mountTmpfs(disk, 16);
    mkdirSync(path.join(disk, 'uploads', NS), { recursive: true });
    await bindMount(disk, share);
    w = miniWorkspace({ shareRoot: share, mountRequired: true, prefix: 'ytm-share-drop-ws-' });
    await fn({
      share,
      w,
      drop: () => execFileSync('umount', ['-l', share]),
      remount: async () => {
        await bindMount(disk, share);
      },
    });
  } finally {
    await closeAllMounts();
    if (w) rmSync(w.dir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A context whose progress callback unmounts the share just before action `index` starts. */
function droppingBefore(ctx: JobContext, index: number, drop: () => void): JobContext {
  return {
    ...ctx,
    progress: (e: ProgressEvent) => {
      if (e.stage === 'action' && e.action === index) drop();
    },
  };
}

async function storeActions(state: string, planId: string): Promise<StoreAction[]> {
  return ((await getPlan(state, planId))?.plan.actions ?? []) as unknown as StoreAction[];
}

function expectFailedKeepingSource(summary: ApplySummary, actions: StoreAction[], indexes: number[]): void {
  for (const i of indexes) {
    const o = summary.outcomes[i];
    expect(o?.status, o?.message).toBe('failed');
    expect(o?.message).toContain('was left in place');
    const a = actions[i] as StoreAction;
    expect(lstatSync(a.src).isFile()).toBe(true);
    expect(sha256Of(a.src)).toBe(a.sha256);
  }
}

describe.skipIf(canMount() !== null)('the share drops during an apply (tmpfs behind a bind mount)', () => {
  it('store --move: the share unmounts between two actions; the rest fail, keep their sources, create nothing on the bare mountpoint', async () => {
    await withDroppingShare(async ({ share, w, drop, remount }) => {
      const { planId, ctx } = await storedPlan(w.env, storeInput({ episode: 'CH02-044', mode: 'move' }));
      const actions = await storeActions(w.state, planId);
      expect(actions).toHaveLength(3);

      const summary = await applyStoredPlan(w.state, planId, droppingBefore(ctx, 1, drop), lookupJob);
      expect(summary.state).toBe('partial');
      expect(summary.outcomes[0]?.status, summary.outcomes[0]?.message).toBe('done');
      expectFailedKeepingSource(summary, actions, [1, 2]);
      expect(summary.outcomes[1]?.message).toMatch(
        /share is no longer mounted|destination root .* (gone|does not exist)/,
      );
      // Nothing was recreated under the bare mountpoint on the local disk.
      expect(readdirSync(share)).toEqual([]);

      // Back on the share: the first file and its manifest, nothing else, nothing hidden.
      await remount();
      const first = actions[0] as StoreAction;
      expect(filesUnder(w.base).filter((f) => !f.startsWith('manifests/'))).toEqual([first.destRel]);
      expect(sha256Of(first.dest)).toBe(first.sha256);
      const manifests = manifestsIn(w.base);
      expect(manifests.map((m) => m.doc.artifact.dest)).toEqual([first.dest]);
      expect(manifests[0]?.doc.shared.offline_fallback).toBe(false);
    });
  });

  it('store --move: the share unmounts while the first file is being copied; no action stores to the bare mountpoint', async () => {
    await withDroppingShare(async ({ share, w, drop }) => {
      const { planId, ctx } = await storedPlan(w.env, storeInput({ episode: 'CH02-044', mode: 'move' }));
      const actions = await storeActions(w.state, planId);
      let dropped = false;
      const midCopy: JobContext = {
        ...ctx,
        progress: (e: ProgressEvent) => {
          // The copy's last progress event: every byte is written to the temp file, nothing is placed yet.
          if (!dropped && e.stage === 'copy' && e.bytes !== undefined && e.bytes === e.totalBytes) {
            dropped = true;
            drop();
          }
        },
      };
      const summary = await applyStoredPlan(w.state, planId, midCopy, lookupJob);
      expect(dropped).toBe(true);
      expect(summary.state).toBe('failed');
      expectFailedKeepingSource(summary, actions, [0, 1, 2]);
      expect(summary.outcomes[0]?.message).toMatch(SHARE_GONE);
      expect(readdirSync(share)).toEqual([]);
    });
  });

  it('store --symlink-back: the share unmounts after the re-check, before the first action; every source stays a file', async () => {
    await withDroppingShare(async ({ share, w, drop, remount }) => {
      const { planId, ctx } = await storedPlan(w.env, storeInput({ episode: 'CH02-044', mode: 'symlink-back' }));
      const actions = await storeActions(w.state, planId);
      const summary = await applyStoredPlan(w.state, planId, droppingBefore(ctx, 0, drop), lookupJob);
      expect(summary.state).toBe('failed');
      expectFailedKeepingSource(summary, actions, [0, 1, 2]);
      expect(readdirSync(share)).toEqual([]);
      await remount();
      expect(filesUnder(w.base)).toEqual([]);
    });
  });

  it('outbox flush: the share unmounts between two actions; the outbox keeps what was not flushed, a re-run completes', async () => {
    await withDroppingShare(async ({ share, w, drop, remount }) => {
      const stub = path.join(share, 'README_MOUNTPOINT.txt');
      writeFileSync(stub, 'offline');
      const stored = await ytm(['store', '--episode', 'CH02-044', '--run'], w.env);
      expect(stored.exitCode, stored.stderr).toBe(0);
      unlinkSync(stub);
      const waiting = () => filesUnder(w.outboxBase).filter((f) => !f.startsWith('manifests/'));
      expect(waiting()).toHaveLength(3);

      const { planId, ctx } = await storedJobPlan(outboxFlushJob, w.env, { action: 'flush' as const });
      const actions = await storeActions(w.state, planId);
      const summary = await applyStoredPlan(w.state, planId, droppingBefore(ctx, 1, drop), lookupJob);
      expect(summary.state).toBe('partial');
      expect(summary.outcomes[0]?.status, summary.outcomes[0]?.message).toBe('done');
      expectFailedKeepingSource(summary, actions, [1, 2]);
      expect(existsSync((actions[0] as StoreAction).src)).toBe(false);
      expect(readdirSync(share)).toEqual([]);

      await remount();
      const first = actions[0] as StoreAction;
      expect(filesUnder(w.base).filter((f) => !f.startsWith('manifests/'))).toEqual([first.destRel]);
      expect(manifestsIn(w.base).map((m) => m.doc.artifact.dest)).toEqual([first.dest]);

      const rerun = await ytm(['outbox', 'flush', '--run', '--yes', '--json'], w.env);
      expect(rerun.exitCode, rerun.stderr).toBe(0);
      expect(json<{ applied: { state: string } }>(rerun).applied.state).toBe('succeeded');
      expect(waiting()).toEqual([]);
      for (const a of actions) expect(sha256Of(a.dest)).toBe(a.sha256);
    });
  });
});

// Destination disk full, on a real tmpfs mounted as the SHARE root (a real mountpoint, so
// YTM_SHARED_STORAGE_MOUNT_REQUIRED=1 sees the share as up). Needs root (CI is root).

import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupJob } from '../../jobs/apply/registry.js';
import { applyStoredPlan } from '../../jobs/engine/apply.js';
import { planJob } from '../../jobs/engine/plan.js';
import { storeJob } from '../../jobs/store/job.js';
import { getPlan } from '../../lib/approvals/store.js';
import { contextFor, storedPlan, storeInput } from '../jobs/support/engine.js';
import { filesUnder, isTemp } from '../jobs/support/files.js';
import { json, ytm } from '../jobs/support/run.js';
import { miniWorkspace, NS, sha256Of, writeFile } from '../jobs/support/workspace.js';
import { canMount, withTmpfs } from './tmpfs.js';

const MiB = 1024 * 1024;

function shareOnTmpfs(mount: string) {
  mkdirSync(path.join(mount, 'uploads', NS), { recursive: true });
  return miniWorkspace({ shareRoot: mount, mountRequired: true, prefix: 'ytm-diskfull-' });
}

describe.skipIf(canMount() !== null)('store onto a full share (tmpfs)', () => {
  it('a 3 MiB file into a 2 MiB share: refused with a clear message, nothing under a final name, source intact', async () => {
    const parent = path.join('/tmp', 'ytm-tmpfs-parent');
    mkdirSync(parent, { recursive: true });
    await withTmpfs(parent, 2, async (mount) => {
      const w = shareOnTmpfs(mount);
      try {
        const src = writeFile(path.join(w.ws, 'misc', 'big.bin'), randomBytes(3 * MiB));
        const before = sha256Of(src);
        const r = await ytm(['store', 'misc/big.bin', '--run', '--json'], w.env);
        expect(r.exitCode, r.stderr).toBe(2);
        const out = json<{
          plan: { refusals: { code: string; message: string }[]; preconditions: { share: { state: string } } };
        }>(r);
        expect(out.plan.preconditions.share.state).toBe('up');
        expect(out.plan.refusals[0]?.code).toBe('NO_SPACE');
        expect(out.plan.refusals[0]?.message).toMatch(
          /not enough free space at the share .*3\.0 MiB to write, .* free/,
        );
        expect(filesUnder(w.base)).toEqual([]);
        expect(sha256Of(src)).toBe(before);
      } finally {
        rmSync(w.dir, { recursive: true, force: true });
      }
    });
  });

  it('the disk fills up after the plan: the apply is stale, and a copy that still hits ENOSPC leaves nothing behind', async () => {
    const parent = path.join('/tmp', 'ytm-tmpfs-parent');
    mkdirSync(parent, { recursive: true });
    await withTmpfs(parent, 2, async (mount) => {
      const w = shareOnTmpfs(mount);
      try {
        const src = writeFile(path.join(w.ws, 'misc', 'mid.bin'), randomBytes(1.5 * MiB));
        const before = sha256Of(src);
        const { planId, ctx } = await storedPlan(w.env, storeInput({ path: 'misc/mid.bin' }));
        writeFileSync(path.join(mount, 'filler.bin'), randomBytes(1 * MiB));

        // 1. Through the executor: the free-space fact changed → stale, nothing copied.
        const summary = await applyStoredPlan(w.state, planId, ctx, lookupJob);
        expect(summary.state).toBe('stale');
        expect(summary.staleKeys).toContain('space.enough');
        expect((await getPlan(w.state, planId))?.state).toBe('stale');
        expect(filesUnder(w.base)).toEqual([]);

        // 2. The action itself, as if another writer filled the disk after the re-check: real ENOSPC.
        const { plan } = await planJob(storeJob, storeInput({ path: 'misc/mid.bin' }), contextFor({ ...w.env }));
        const stalePlanAction = (await getPlan(w.state, planId))?.plan.actions[0];
        expect(plan.refusals.map((r) => r.code)).toEqual(['NO_SPACE']);
        const outcome = await storeJob.applyAction(stalePlanAction ?? null, 0, ctx, planId);
        expect(outcome.status).toBe('failed');
        expect(outcome.message).toContain('no space left on the destination');
        expect(outcome.message).toContain('ENOSPC');
        const left = filesUnder(w.base);
        expect(left.filter((f) => !isTemp(f))).toEqual([]);
        expect(left.filter(isTemp)).toEqual([]);
        expect(readdirSync(mount).sort()).toEqual(['filler.bin', 'uploads']);
        expect(sha256Of(src)).toBe(before);
      } finally {
        rmSync(w.dir, { recursive: true, force: true });
      }
    });
  });
});

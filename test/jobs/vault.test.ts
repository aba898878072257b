// `ytm vault`: absolute links into the share become relative links that resolve wherever the share is mounted;
// links outside the share are left alone; a link changed after planning is never overwritten; a share that
// hangs mid-scan ends the scan within its budget with one stuck child, not a pile of them.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookupJob } from '../../jobs/apply/registry.js';
import { applyStoredPlan } from '../../jobs/engine/apply.js';
import { applyVaultAction } from '../../jobs/vault/apply.js';
import { vaultJob } from '../../jobs/vault/job.js';
import { loadConfig } from '../../lib/config.js';
import { listProbeLeases } from '../../lib/share/probe-lease.js';
import { closeAllStallingMounts, mountStallingFs, stallFsUnavailableReason } from '../faults/stall-mount.js';
import { bindMount, canMount, closeAllMounts } from '../faults/tmpfs.js';
import { contextFor, storedJobPlan } from './support/engine.js';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace, NS } from './support/workspace.js';
import { INTO_SHARE, plantVault, THROUGH } from './vault-fixture.js';

afterAll(async () => {
  await closeAllMounts();
  await closeAllStallingMounts();
});

let w: MiniWorkspace;
beforeEach(() => {
  w = miniWorkspace({ prefix: 'ytm-vault-' });
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

interface VaultRun {
  plan: { actions: { op: string; path?: string }[]; warnings: string[]; refusals: { code: string; message: string }[] };
  applied?: { state: string; outcomes: { status: string; message: string }[] };
}

/**
 * Makes the share's tree visible at `elsewhere` only: a bind mount (root) or a copy, then the original path is
 * renamed away so nothing can still reach it by its old absolute path. Returns how to put it back.
 */
async function moveShare(share: string, elsewhere: string): Promise<() => Promise<void>> {
  mkdirSync(elsewhere);
  const gone = `${share}.moved`;
  if (canMount() === null) {
    const m = await bindMount(share, elsewhere);
    renameSync(share, gone);
    return async () => {
      await m.close();
      renameSync(gone, share);
    };
  }
  cpSync(share, elsewhere, { recursive: true, verbatimSymlinks: true });
  renameSync(share, gone);
  return async () => {
    renameSync(gone, share);
  };
}

describe('ytm vault', () => {
  it('rewrites absolute links into the share as relative ones that resolve at another mount path; outside links untouched', async () => {
    const outside = path.join(w.dir, 'outside');
    const v = plantVault(w.share, w.share, outside);
    const elsewhere = path.join(w.dir, 'gateway-mount');

    // Control: with the share only at another path, the absolute links break (the failure this job fixes).
    let back = await moveShare(w.share, elsewhere);
    const viaElsewhere = (rel: string) => path.join(elsewhere, 'ytm_workspaces', rel);
    expect(existsSync(viaElsewhere('audio/final/CH02/043/CH02-043.wav'))).toBe(false);
    await back();
    rmSync(elsewhere, { recursive: true, force: true });

    const r = await ytm(['vault', '--run', '--json'], w.env);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    const out = json<VaultRun>(r);
    expect(out.applied?.state).toBe('succeeded');
    expect(
      out.plan.actions
        .filter((a) => a.op === 'rewrite')
        .map((a) => a.path)
        .sort(),
    ).toEqual(Object.keys(INTO_SHARE).sort());
    expect(out.plan.warnings.join('\n')).toContain('video/input/CH09_外部');

    for (const rel of Object.keys(INTO_SHARE)) {
      const target = readlinkSync(path.join(v.vault, rel));
      expect(path.isAbsolute(target), `${rel} -> ${target}`).toBe(false);
    }
    expect(readlinkSync(v.outsideLink)).toBe(v.outsideTarget);
    expect(readlinkSync(v.relativeLink)).toBe(v.relativeTarget);
    expect(existsSync(path.join(v.vault, 'video', 'runs'))).toBe(true);
    expect(readdirSync(path.join(v.vault, 'video', 'input')).filter((n) => n.startsWith('.tmp__'))).toEqual([]);

    back = await moveShare(w.share, elsewhere);
    try {
      for (const [rel, content] of Object.entries(THROUGH)) {
        expect(readFileSync(viaElsewhere(rel), 'utf8'), rel).toBe(content);
      }
      expect(readlinkSync(viaElsewhere('video/input/CH09_外部'))).toBe(v.outsideTarget);
    } finally {
      await back();
    }

    // The predecessor's report, in its place.
    const dir = path.join(w.ws, 'logs', 'ops', 'vault_workspaces_doctor');
    const [name] = readdirSync(dir);
    const report = JSON.parse(readFileSync(path.join(dir, name as string), 'utf8'));
    expect(report.schema).toBe('ytm.ops.vault_workspaces_doctor.v1');
    expect(report.run).toBe(true);
    const changed = report.changes.symlinks.filter((s: { changed: boolean }) => s.changed);
    expect(changed).toHaveLength(3);
    expect(report.changes.symlinks.find((s: { path: string }) => s.path === v.outsideLink)).toMatchObject({
      changed: false,
      before: v.outsideTarget,
    });
    expect(report.changes.ensure).toEqual([expect.objectContaining({ action: 'ensure_video_runs', changed: true })]);

    // Nothing left to do on a second look.
    const again = json<VaultRun>(await ytm(['vault', '--json'], w.env));
    expect(again.plan.actions).toEqual([]);
  });

  it("the doctor's VAULT_ABSOLUTE_SYMLINK advises `ytm vault`, and after it only the link outside the share is left", async () => {
    plantVault(w.share, w.share, path.join(w.dir, 'outside'));
    type Doctor = { findings: { code: string; count: number; advice?: string }[] };
    const finding = async () =>
      json<Doctor>(await ytm(['doctor', '--json'], w.env)).findings.find((f) => f.code === 'VAULT_ABSOLUTE_SYMLINK');
    const before = await finding();
    expect(before?.count).toBe(3);
    expect(before?.advice).toContain('ytm vault');
    expect((await ytm(['vault', '--run'], w.env)).exitCode).toBe(0);
    expect((await finding())?.count).toBe(1);
  });

  it('a missing thumbnails/assets becomes a relative alias of its backup link, which is made relative too', async () => {
    const v = plantVault(w.share, w.share, path.join(w.dir, 'outside'));
    rmSync(path.join(v.vault, 'thumbnails', 'assets'), { recursive: true });
    const backup = 'assets.symlink_lenovo_backup_20260124_214045';
    symlinkSync(path.join(w.share, 'archive', 'thumbs'), path.join(v.vault, 'thumbnails', backup));
    const r = await ytm(['vault', '--run', '--json'], w.env);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect(json<VaultRun>(r).applied?.state).toBe('succeeded');
    expect(readlinkSync(path.join(v.vault, 'thumbnails', 'assets'))).toBe(backup);
    expect(readlinkSync(path.join(v.vault, 'thumbnails', backup))).toBe('../../archive/thumbs');
    const elsewhere = path.join(w.dir, 'gateway-mount');
    const back = await moveShare(w.share, elsewhere);
    try {
      const png = path.join(elsewhere, 'ytm_workspaces', 'thumbnails', 'assets', 'CH01-001.png');
      expect(readFileSync(png, 'utf8')).toBe(THROUGH['thumbnails/assets/CH01/001/00_thumb.png']);
    } finally {
      await back();
    }
  });

  it('a link changed between plan and apply: the plan is stale and the link keeps its new target', async () => {
    const v = plantVault(w.share, w.share, path.join(w.dir, 'outside'));
    const { planId, ctx } = await storedJobPlan(vaultJob, w.env, {});
    const link = path.join(v.vault, 'audio/final');
    const moved = path.join(w.share, 'archive', 'elsewhere');
    mkdirSync(moved);
    unlinkSync(link);
    symlinkSync(moved, link);
    const summary = await applyStoredPlan(w.state, planId, ctx, lookupJob);
    expect(summary.state).toBe('stale');
    expect(summary.staleKeys).toContain('links.audio/final');
    expect(readlinkSync(link)).toBe(moved);
    // The other links were not touched either: nothing runs from a stale plan.
    expect(path.isAbsolute(readlinkSync(path.join(v.vault, 'video/input/CH02_哲学系')))).toBe(true);
  });

  it('each rewrite re-checks its link right before acting: a changed link is reported stale and left as it is', async () => {
    const v = plantVault(w.share, w.share, path.join(w.dir, 'outside'));
    const link = path.join(v.vault, 'audio/final');
    const planned = readlinkSync(link);
    unlinkSync(link);
    symlinkSync('/somewhere/else', link);
    const out = await applyVaultAction(
      { op: 'rewrite', path: 'audio/final', link, before: planned, after: '../../archive/x' },
      contextFor(w.env),
      'a'.repeat(64),
    );
    expect(out.status).toBe('failed');
    expect(out.message).toMatch(/stale plan for audio\/final: it now points to \/somewhere\/else/);
    expect(readlinkSync(link)).toBe('/somewhere/else');
  });

  it('refuses while the share is down, and when the vault root is missing', async () => {
    plantVault(w.share, w.share, path.join(w.dir, 'outside'));
    const stub = await ytm(['vault', '--json'], { ...w.env, YTM_SHARED_STORAGE_ROOT: path.join(w.dir, 'no-share') });
    expect(stub.exitCode).toBe(2);
    expect(json<VaultRun>(stub).plan.refusals[0]?.code).toBe('SHARE_DOWN');
    const missing = await ytm(['vault', '--json'], {
      ...w.env,
      YTM_VAULT_WORKSPACES_ROOT: path.join(w.share, 'no-vault'),
    });
    expect(missing.exitCode).toBe(2);
    expect(json<VaultRun>(missing).plan.refusals[0]?.code).toBe('VAULT_MISSING');
  });

  it('YTM_VAULT_SCAN_BUDGET_SEC: 90 s by default, any number of seconds from 1, bad values named', () => {
    const base = { YTM_WORKSPACE_ROOT: '/tmp/ws', YTM_ENV_FILE: '/nonexistent' };
    const def = loadConfig(base);
    expect(def.ok && def.config.YTM_VAULT_SCAN_BUDGET_SEC).toBe(90);
    const set = loadConfig({ ...base, YTM_VAULT_SCAN_BUDGET_SEC: '2.5' });
    expect(set.ok && set.config.YTM_VAULT_SCAN_BUDGET_SEC).toBe(2.5);
    const bad = loadConfig({ ...base, YTM_VAULT_SCAN_BUDGET_SEC: '0' });
    expect(bad.ok ? [] : bad.problems.map((p) => p.name)).toEqual(['YTM_VAULT_SCAN_BUDGET_SEC']);
  });
});

describe.skipIf(stallFsUnavailableReason() !== null)('ytm vault on a share that hangs mid-scan (FUSE stall)', () => {
  it('ends within its budget with VAULT_SCAN_INCOMPLETE; a second run adds no child', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ytm-vault-hung-'));
    const backing = path.join(dir, 'backing');
    const share = path.join(dir, 'share');
    mkdirSync(path.join(backing, 'uploads', NS), { recursive: true });
    mkdirSync(share);
    plantVault(backing, share, path.join(dir, 'outside'));
    const mount = await mountStallingFs(share, { stalled: false, backing, stallOn: 'ytm_workspaces/video/input' });
    try {
      const env = {
        ...w.env,
        YTM_SHARED_STORAGE_ROOT: share,
        YTM_SHARED_STORAGE_MOUNT_REQUIRED: '1',
        YTM_VAULT_SCAN_BUDGET_SEC: '3',
      };
      const first = await ytm(['vault', '--json'], env, { timeoutMs: 60_000 });
      expect(first.exitCode, first.stderr).toBe(2);
      const refusal = json<VaultRun>(first).plan.refusals[0];
      expect(refusal?.code).toBe('VAULT_SCAN_INCOMPLETE');
      expect(refusal?.message).toContain(`scan-abs-links ${path.join(share, 'ytm_workspaces')}`);
      const stuck = (await listProbeLeases(w.state)).filter((l) => l.status === 'stuck');
      expect(stuck.map((l) => l.op)).toEqual(['scan-abs-links']);

      const second = await ytm(['vault', '--json'], env, { timeoutMs: 60_000 });
      expect(second.exitCode).toBe(2);
      expect(json<VaultRun>(second).plan.refusals[0]).toMatchObject({ code: 'SHARE_DOWN' });
      expect(json<VaultRun>(second).plan.refusals[0]?.message).toMatch(/hung/);
      const after = await listProbeLeases(w.state);
      expect(after.map((l) => l.pid)).toEqual(stuck.map((l) => l.pid));
    } finally {
      await mount.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

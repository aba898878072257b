// store end to end through the real `ytm` child: dry-run, --run, idempotent rerun, --overwrite, the episode
// form, kind/episode inference, coordination locks, and the offline fallback to the local outbox.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreAction } from '../../jobs/store/action.js';
import { readAudit, verifyAudit } from '../../lib/audit/log.js';
import { filesUnder, isTemp, manifestsIn } from './support/files.js';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace, NS, sha256Of, writeFile } from './support/workspace.js';

type PlanOut = {
  planId: string;
  plan: {
    actions: StoreAction[];
    refusals: { code: string; message: string }[];
    warnings: string[];
    preconditions: {
      share: Record<string, unknown>;
      sources: Record<string, { sha256: string }>;
      destinations: Record<string, unknown>;
      space: unknown;
    };
    destructive: boolean;
  };
  applied?: {
    state: string;
    counts: Record<string, number>;
    report?: string;
    outcomes: { status: string; message: string }[];
  };
};

let w: MiniWorkspace;
beforeEach(() => {
  w = miniWorkspace();
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

const WAV = 'audio/final/CH02/043/CH02-043.wav';

describe('store <path>', () => {
  it('dry-run plans and changes nothing', async () => {
    const r = await ytm(['store', WAV, '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = json<PlanOut>(r);
    const a = out.plan.actions[0] as StoreAction;
    expect(a).toMatchObject({
      op: 'store',
      srcRel: WAV,
      destRel: 'audio_final/CH02/043/CH02-043.wav',
      dest: path.join(w.base, 'audio_final/CH02/043/CH02-043.wav'),
      kind: 'audio_final',
      episode: 'CH02-043',
      destState: 'absent',
      after: 'keep',
      sha256: sha256Of(path.join(w.ws, WAV)),
    });
    expect(out.plan.preconditions.share).toMatchObject({ state: 'up', offline: false, base: w.base });
    expect(out.plan.preconditions.sources[WAV]?.sha256).toBe(a.sha256);
    expect(out.plan.preconditions.destinations['audio_final/CH02/043/CH02-043.wav']).toEqual({ exists: false });
    expect(out.plan.preconditions.space).toEqual({ enough: true });
    expect(filesUnder(w.base)).toEqual([]);
  });

  it('--run copies, verifies, writes the manifest, the report and the audit trail', async () => {
    const r = await ytm(['store', WAV, '--run', '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = json<PlanOut>(r);
    expect(out.applied?.state).toBe('succeeded');
    const dest = path.join(w.base, 'audio_final/CH02/043/CH02-043.wav');
    expect(sha256Of(dest)).toBe(sha256Of(path.join(w.ws, WAV)));
    const [m] = manifestsIn(w.base);
    expect(path.basename(m?.file ?? '')).toMatch(/^\d{8}T\d{6}Z__audio_final__[0-9a-f]{12}\.json$/);
    expect(m?.doc).toMatchObject({
      schema_version: 1,
      kind: 'shared_storage_sync',
      sync_kind: 'audio_final',
      repo: { root: w.repo, name: NS },
      shared: {
        configured_root: w.share,
        effective_root: w.share,
        namespace: NS,
        base: w.base,
        offline_fallback: false,
      },
      artifact: { src: path.join(w.ws, WAV), dest, sha256: sha256Of(dest), size_bytes: statSync(dest).size },
    });
    expect(m?.doc.shared.offline_reason).toBeUndefined();
    expect(out.applied?.report).toMatch(/logs\/ops\/store\/store__\d{8}T\d{6}Z\.json$/);
    const report = JSON.parse(readFileSync(out.applied?.report as string, 'utf8'));
    expect(report).toMatchObject({ job: 'store', planId: out.planId, state: 'succeeded', counts: { done: 1 } });
    const kinds = (await readAudit(w.state)).filter((e) => e.planId === out.planId).map((e) => e.kind);
    expect(kinds).toEqual(['job.plan', 'plan.approved', 'job.start', 'job.result']);
    expect((await verifyAudit(w.state)).ok).toBe(true);
    expect(filesUnder(w.base).filter(isTemp)).toEqual([]);
  });

  it('a rerun finds the file up to date and still writes a manifest', async () => {
    expect((await ytm(['store', WAV, '--run'], w.env)).exitCode).toBe(0);
    const again = await ytm(['store', WAV, '--run', '--json'], w.env);
    expect(again.exitCode).toBe(0);
    const out = json<PlanOut>(again);
    expect(out.plan.actions[0]?.destState).toBe('same');
    expect(out.applied?.counts.up_to_date).toBe(1);
    expect(manifestsIn(w.base).length).toBeGreaterThanOrEqual(1);
    expect(manifestsIn(w.base).some((m) => m.doc.ytm_ops.up_to_date === true)).toBe(true);
  });

  it('a different file at the destination is refused unless --overwrite (which also needs --yes without a TTY)', async () => {
    const dest = writeFile(path.join(w.base, 'audio_final/CH02/043/CH02-043.wav'), 'someone else');
    const refused = await ytm(['store', WAV, '--run', '--json'], w.env);
    expect(refused.exitCode).toBe(2);
    expect(json<PlanOut>(refused).plan.refusals[0]?.code).toBe('DEST_DIFFERS');
    expect(readFileSync(dest, 'utf8')).toBe('someone else');

    const noYes = await ytm(['store', WAV, '--overwrite', '--run'], w.env);
    expect(noYes.exitCode).toBe(2);
    expect(noYes.stderr).toContain('add --yes');
    expect(readFileSync(dest, 'utf8')).toBe('someone else');

    const ok = await ytm(['store', WAV, '--overwrite', '--run', '--yes', '--json'], w.env);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(json<PlanOut>(ok).plan.destructive).toBe(true);
    expect(sha256Of(dest)).toBe(sha256Of(path.join(w.ws, WAV)));
  });

  it('infers kind and episode from the folder (scripts, remotion run)', async () => {
    const run = 'CH02-044_capcut_v1';
    writeFile(path.join(w.ws, 'video/runs', run, 'remotion/output/final.mp4'), 'mp4 bytes');
    const s = json<PlanOut>(await ytm(['store', 'scripts/CH02/043/content/assembled_human.md', '--json'], w.env));
    expect(s.plan.actions[0]).toMatchObject({
      kind: 'scripts',
      episode: 'CH02-043',
      destRel: 'scripts/CH02/043/assembled_human.md',
    });
    const v = json<PlanOut>(await ytm(['store', `video/runs/${run}/remotion/output/final.mp4`, '--json'], w.env));
    expect(v.plan.actions[0]).toMatchObject({
      kind: 'remotion_mp4',
      episode: 'CH02-044',
      destRel: `remotion_mp4/CH02/044/${run}.mp4`,
    });
    const m = json<PlanOut>(await ytm(['store', 'planning/channels/CH02.csv', '--json'], w.env));
    expect(m.plan.actions[0]).toMatchObject({ kind: 'misc', episode: null, destRel: 'misc/CH02.csv' });
  });

  it('refuses a source under an active coordination lock, naming it', async () => {
    const locks = path.join(w.ws, 'logs/agent_tasks/coordination/locks');
    writeFileSync(
      path.join(locks, 'lock__20260126T105000Z__a1b2c3d4.json'),
      JSON.stringify({
        schema_version: 1,
        kind: 'lock',
        id: 'lock__20260126T105000Z__a1b2c3d4',
        created_by: 'dd-cleanup-01',
        mode: 'no_write',
        scopes: ['workspaces/audio/final/CH02/**'],
        note: 'CH02 audio redo',
      }),
    );
    const r = await ytm(['store', WAV, '--run', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    const refusal = json<PlanOut>(r).plan.refusals[0];
    expect(refusal?.code).toBe('LOCKED');
    expect(refusal?.message).toContain('lock__20260126T105000Z__a1b2c3d4');
    expect(refusal?.message).toContain('dd-cleanup-01');
    expect(filesUnder(w.base)).toEqual([]);
  });
});

describe('store --episode', () => {
  it('stores script, WAV and SRT (and the Remotion mp4) in the predecessor layout', async () => {
    const run = 'CH02-044_capcut_v2';
    writeFile(path.join(w.ws, 'video/runs', run, 'remotion/output/final.mp4'), 'mp4 bytes');
    const r = await ytm(
      ['store', '--episode', 'ch2-44', '--include-remotion', '--run-id', run, '--run', '--json'],
      w.env,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(filesUnder(w.base).filter((f) => !f.startsWith('manifests/'))).toEqual([
      'audio_final/CH02/044/CH02-044.srt',
      'audio_final/CH02/044/CH02-044.wav',
      `remotion_mp4/CH02/044/${run}.mp4`,
      'scripts/CH02/044/assembled_human.md',
    ]);
    expect(sha256Of(path.join(w.base, 'scripts/CH02/044/assembled_human.md'))).toBe(
      sha256Of(path.join(w.ws, 'scripts/CH02/044/content/assembled_human.md')),
    );
    expect(manifestsIn(w.base)).toHaveLength(4);
  });

  it('refuses when an item is missing, naming it', async () => {
    rmSync(path.join(w.ws, 'audio/final/CH02/044/CH02-044.srt'));
    const r = await ytm(['store', '--episode', 'CH02-044', '--run', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    expect(json<PlanOut>(r).plan.refusals).toEqual([
      {
        code: 'MISSING_ITEM',
        message: `audio/final/CH02/044/CH02-044.srt does not exist (looked for ${path.join(w.ws, 'audio/final/CH02/044/CH02-044.srt')})`,
      },
    ]);
    expect(filesUnder(w.base)).toEqual([]);
  });

  it('refuses a run id of another episode', async () => {
    const r = await ytm(
      ['store', '--episode', 'CH02-044', '--include-remotion', '--run-id', 'CH02-043_v1', '--json'],
      w.env,
    );
    expect(r.exitCode).toBe(2);
    expect(json<PlanOut>(r).plan.refusals[0]?.code).toBe('RUN_EPISODE_MISMATCH');
  });
});

describe('offline: stores go to the local outbox and say so', () => {
  it('stub share → outbox with offline_fallback and the predecessor reason; --symlink-back refused', async () => {
    writeFileSync(path.join(w.share, 'README_MOUNTPOINT.txt'), 'offline stub');
    const r = await ytm(['store', WAV, '--run', '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = json<PlanOut>(r);
    expect(out.plan.warnings.join(' ')).toContain('local outbox');
    const dest = path.join(w.outboxBase, 'audio_final/CH02/043/CH02-043.wav');
    expect(sha256Of(dest)).toBe(sha256Of(path.join(w.ws, WAV)));
    expect(existsSync(path.join(w.base, 'audio_final'))).toBe(false);
    const [m] = manifestsIn(w.outboxBase);
    expect(m?.doc.shared).toMatchObject({
      configured_root: w.share,
      effective_root: w.outbox,
      base: w.outboxBase,
      offline_fallback: true,
      offline_reason: 'mountpoint stub detected (README_MOUNTPOINT.txt)',
    });

    const link = await ytm(
      ['store', 'audio/final/CH02/044/CH02-044.wav', '--symlink-back', '--run', '--yes', '--json'],
      w.env,
    );
    expect(link.exitCode).toBe(2);
    expect(json<PlanOut>(link).plan.refusals.map((x) => x.code)).toContain('SHARE_DOWN');
    expect(statSync(path.join(w.ws, 'audio/final/CH02/044/CH02-044.wav')).isFile()).toBe(true);
  });

  it('not a mountpoint (mount required) → outbox, with the actual reason (a plain folder, not "smbfs not detected")', async () => {
    const env = { ...w.env, YTM_SHARED_STORAGE_MOUNT_REQUIRED: '1' };
    const r = await ytm(['store', WAV, '--run', '--json'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const [m] = manifestsIn(w.outboxBase);
    const actual = `shared storage not mounted (not a mountpoint: ${w.share})`;
    expect(m?.doc.shared.offline_reason).toBe(actual);
    // The outbox listing shows that reason.
    expect((await ytm(['outbox'], env)).stdout).toContain(`(${actual})`);
  });

  it('base missing (degraded) → outbox, "base is missing" reason', async () => {
    rmSync(w.base, { recursive: true });
    mkdirSync(path.join(w.share, 'uploads'), { recursive: true });
    const r = await ytm(['store', WAV, '--run', '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const [m] = manifestsIn(w.outboxBase);
    expect(m?.doc.shared.offline_reason).toBe(`shared storage mounted but base is missing: ${w.base}`);
    expect(existsSync(w.base)).toBe(false);
  });
});

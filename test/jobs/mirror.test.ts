// `ytm mirror` end to end (the compiled CLI, real rsync, real files): the vault equals the Hot tree except the
// documented exclusions, deletions propagate except under the protected paths, the sentinel rules, the dry
// run counts what the run does and is the doctor's drift, the unattended delete limit, Japanese names.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VAULT_SENTINEL } from '../../lib/paths.js';
import {
  JP_NFC,
  JP_NFD,
  type MirrorWorkspace,
  mirror,
  mirrorWorkspace,
  out,
  reportOf,
  tree,
} from './mirror/support.js';
import { json, ytm } from './support/run.js';

let w: MirrorWorkspace;
beforeEach(() => {
  w = mirrorWorkspace();
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

const sentinel = () => path.join(w.vault, VAULT_SENTINEL);
const vaultTree = () => tree(w.vault, { extra: [VAULT_SENTINEL] });

async function bootstrap(): Promise<void> {
  const r = await mirror(w, ['--bootstrap-dest', '--run']);
  expect(r.exitCode, r.stderr).toBe(0);
  expect(out(r).applied?.state).toBe('succeeded');
}

describe('ytm mirror', () => {
  it('bootstraps the vault: it equals the Hot tree except the documented exclusions, names byte for byte', async () => {
    expect(existsSync(w.vault)).toBe(false);
    await bootstrap();
    expect(JSON.parse(readFileSync(sentinel(), 'utf8'))).toMatchObject({
      schema: 'ytm.vault.workspaces_root.v1',
      paths: { dest_root: w.vault },
    });
    expect([...vaultTree()]).toEqual([...tree(w.ws)]);
    // Excluded: planning, audio/final, caches; the linked channel folder stays the vault's own business.
    for (const gone of [
      'planning',
      'audio/final',
      'episodes/.DS_Store',
      'tools/__pycache__',
      'video/input/CH03_link',
    ]) {
      expect(existsSync(path.join(w.vault, gone)), gone).toBe(false);
    }
    // NFC and NFD spellings are two names on Linux: both arrive, unchanged.
    const notes = readdirSync(path.join(w.vault, 'episodes', 'CH02', '043', 'notes'));
    expect(notes.sort()).toEqual([JP_NFC, JP_NFD].sort());
    expect(readFileSync(path.join(w.vault, 'episodes', 'CH02', '043', 'notes', JP_NFD), 'utf8')).toBe('nfd');
  });

  it('deletions propagate except under the protected paths; the sentinel is there before and after', async () => {
    await bootstrap();
    rmSync(path.join(w.ws, 'top.txt'));
    rmSync(path.join(w.ws, 'thumbnails', 'CH02'), { recursive: true });
    rmSync(path.join(w.ws, 'scripts', 'CH02', '043'), { recursive: true });
    rmSync(path.join(w.ws, 'thumbnails', 'assets', 'CH02', 'bg.png'));
    rmSync(path.join(w.ws, 'video', 'runs', 'CH02-043_v1'), { recursive: true });
    rmSync(path.join(w.ws, 'video', 'input', 'CH02_哲学系', 'img_001.png'));
    writeFileSync(path.join(w.ws, 'top2.txt'), 'new');
    expect(existsSync(sentinel())).toBe(true);
    const r = await mirror(w, ['--run']);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = reportOf(out(r));
    expect(report.outcome).toBe('ok');
    expect(report.counts.deleted).toBe(4); // top.txt, thumbnails/CH02/, …/043/, …/00_thumb.png
    expect(existsSync(sentinel())).toBe(true);
    expect(existsSync(path.join(w.vault, 'top.txt'))).toBe(false);
    expect(existsSync(path.join(w.vault, 'thumbnails', 'CH02'))).toBe(false);
    expect(readFileSync(path.join(w.vault, 'top2.txt'), 'utf8')).toBe('new');
    for (const kept of [
      'scripts/CH02/043/status.json',
      'thumbnails/assets/CH02/bg.png',
      'video/runs/CH02-043_v1/capcut_draft_info.json',
      'video/input/CH02_哲学系/img_001.png',
    ]) {
      expect(existsSync(path.join(w.vault, kept)), kept).toBe(true);
    }
  });

  it('without the sentinel delete-sync is refused and nothing in the vault changes', async () => {
    mkdirSync(w.vault);
    writeFileSync(path.join(w.vault, 'only-in-vault.txt'), 'keep');
    const r = await mirror(w, ['--run']);
    expect(r.exitCode).toBe(2);
    expect(out(r).plan?.refusals.map((x) => x.code)).toEqual(['MIRROR_NO_SENTINEL']);
    expect(readdirSync(w.vault)).toEqual(['only-in-vault.txt']);
    // A vault folder that does not exist at all is not created without --bootstrap-dest either.
    rmSync(w.vault, { recursive: true });
    const missing = await mirror(w, ['--run']);
    expect(out(missing).plan?.refusals.map((x) => x.code)).toEqual(['MIRROR_DEST_MISSING']);
    expect(existsSync(w.vault)).toBe(false);
  });

  it('the dry run counts what the run does, is recorded as the drift, and is zero once mirrored', async () => {
    await bootstrap();
    writeFileSync(path.join(w.ws, 'top.txt'), 'changed and longer\n');
    writeFileSync(path.join(w.ws, 'added.bin'), Buffer.alloc(1000, 7));
    rmSync(path.join(w.ws, 'logs', 'regression', 'r.json'));
    const dry = await mirror(w, []);
    expect(dry.exitCode, dry.stderr).toBe(0);
    const drift = reportOf(out(dry));
    expect(drift.run).toBe(false);
    expect(drift.counts).toEqual({ created: 1, updated: 1, deleted: 1, bytes: 1019 });

    const run = await mirror(w, ['--run']);
    expect(reportOf(out(run)).counts).toEqual(drift.counts);
    const again = reportOf(out(await mirror(w, [])));
    expect(again.counts).toEqual({ created: 0, updated: 0, deleted: 0, bytes: 0 });

    // The doctor reads the newest dry run as the drift, and the runs' results.
    writeFileSync(path.join(w.ws, 'late.txt'), '12345');
    await mirror(w, []);
    const doctor = json<{ mirror: Record<string, unknown> }>(await ytm(['doctor', '--json'], w.env));
    expect(doctor.mirror.drift).toMatchObject({ created: 1, updated: 0, deleted: 0, bytes: 5 });
    expect(doctor.mirror.lastResult).toBe('ok');
    expect(doctor.mirror.lastSuccessAt).toBe(doctor.mirror.lastRunAt);
  }, 120_000); // several ytm children in a row: slow on a loaded 2-core CI machine

  it('over the delete limit: a scheduled run is not applied, its plan waits for approval; under the limit it applies', async () => {
    await bootstrap();
    for (const f of ['top.txt', 'logs/regression/r.json']) rmSync(path.join(w.ws, f));
    rmSync(path.join(w.ws, 'thumbnails', 'CH02'), { recursive: true }); // 3 entries
    const env = { YTM_MIRROR_MAX_DELETE: '4' };
    const before = vaultTree();
    const r = await mirror(w, ['--scheduled', '--run'], env);
    expect(r.exitCode).toBe(2);
    const o = out(r);
    expect(o.refusals?.map((x) => x.code)).toEqual(['MIRROR_OVER_DELETE_LIMIT']);
    expect(o.planId).toMatch(/^[0-9a-f]{64}$/);
    expect(vaultTree()).toEqual(before);
    const plans = json<{ plans: { planId: string; state: string }[] }>(await ytm(['plans', '--json'], w.env));
    expect(plans.plans.find((p) => p.planId === o.planId)?.state).toBe('awaiting_approval');
    expect(reportOf(o)).toMatchObject({ run: false, outcome: 'over-limit' });

    // The share counts too: 5 deletions of the main pass's 22 vault entries is over 10 %.
    const pct = await mirror(w, ['--scheduled', '--run'], { YTM_MIRROR_MAX_DELETE_PCT: '10' });
    expect(out(pct).refusals?.map((x) => x.code)).toEqual(['MIRROR_OVER_DELETE_LIMIT']);

    // Under the limit, the scheduled run applies.
    const ok = await mirror(w, ['--scheduled', '--run'], {
      YTM_MIRROR_MAX_DELETE: '5',
      YTM_MIRROR_MAX_DELETE_PCT: '25',
    });
    expect(ok.exitCode, ok.stdout).toBe(0);
    expect(reportOf(out(ok))).toMatchObject({ outcome: 'ok', counts: { deleted: 5 } });
  }, 120_000); // several ytm children in a row: slow on a loaded 2-core CI machine
});

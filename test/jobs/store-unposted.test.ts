// The unposted guard: Hot/Freeze episodes are never moved or symlinked back, whether the episode is named or
// only implied by the file's folder; break-glass (--allow-unposted or YTM_EMERGENCY_OVERRIDE=1) is audited.
import { lstatSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAudit } from '../../lib/audit/log.js';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace, sha256Of, writeFile } from './support/workspace.js';

type Out = {
  planId: string;
  plan: { refusals: { code: string; message: string }[]; warnings: string[] };
  applied?: { state: string };
};

let w: MiniWorkspace;
beforeEach(() => {
  w = miniWorkspace();
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

const wav = (no: string) => `audio/final/CH02/${no}/CH02-${no}.wav`;
const isFile = (rel: string) => lstatSync(path.join(w.ws, rel)).isFile();

describe('refused for unposted episodes', () => {
  it('episode form --symlink-back on an unposted episode', async () => {
    const r = await ytm(['store', '--episode', 'CH02-043', '--symlink-back', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    const refusal = json<Out>(r).plan.refusals[0];
    expect(refusal?.code).toBe('UNPOSTED');
    expect(refusal?.message).toContain('CH02-043');
    expect(refusal?.message).toContain('--allow-unposted');
    expect(isFile(wav('043'))).toBe(true);
  });

  it('file form without --episode: the episode is inferred from audio/final/CHxx/NNN', async () => {
    const r = await ytm(['store', wav('043'), '--move', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    expect(json<Out>(r).plan.refusals.map((x) => x.code)).toEqual(['UNPOSTED']);
    expect(isFile(wav('043'))).toBe(true);
  });

  it('file form without --episode: the episode is inferred from a video run folder', async () => {
    const rel = 'video/runs/CH02-043_capcut_v1/remotion/output/final.mp4';
    writeFile(path.join(w.ws, rel), 'mp4');
    const r = await ytm(['store', rel, '--symlink-back', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    expect(json<Out>(r).plan.refusals.map((x) => x.code)).toEqual(['UNPOSTED']);
    expect(isFile(rel)).toBe(true);
  });

  it('naming another (posted) episode for a file in an unposted episode folder does not dodge it', async () => {
    const r = await ytm(['store', wav('043'), '--episode', 'CH02-044', '--move', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    expect(json<Out>(r).plan.refusals[0]?.code).toBe('EPISODE_MISMATCH');
    expect(isFile(wav('043'))).toBe(true);
  });

  it('an episode missing from the planning CSV counts as unposted', async () => {
    writeFile(path.join(w.ws, 'audio/final/CH02/099/CH02-099.wav'), 'x');
    const r = await ytm(['store', 'audio/final/CH02/099/CH02-099.wav', '--move', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    // The refusal names the planning file it read.
    expect(json<Out>(r).plan.refusals[0]?.message).toContain(`not found in CH02.csv in ${path.join(w.ws, 'planning')}`);
  });

  it('an unreachable YTM_PLANNING_ROOT falls back to the local copy, as the doctor does (PLANNING_FALLBACK)', async () => {
    const env = { ...w.env, YTM_PLANNING_ROOT: path.join(w.dir, 'no-such-planning') };
    const r = await ytm(['store', '--episode', 'CH02-044', '--symlink-back', '--json'], env);
    expect(r.exitCode, r.stdout).toBe(0);
    const out = json<Out>(r);
    expect(out.plan.refusals).toEqual([]);
    const doctor = json<{ planning: { effective: string; fallback: boolean } }>(await ytm(['doctor', '--json'], env));
    expect(doctor.planning).toMatchObject({ effective: path.join(w.ws, 'planning'), fallback: true });
    // An unposted episode's refusal says which copy it read and why.
    const refused = await ytm(['store', '--episode', 'CH02-043', '--symlink-back', '--json'], env);
    expect(json<Out>(refused).plan.refusals[0]?.message).toContain(
      `in the local copy ${path.join(w.ws, 'planning')} (YTM_PLANNING_ROOT is not in effect: not a reachable directory)`,
    );
  });
});

describe('allowed for published episodes, only after verification', () => {
  it('posted in the CSV: --symlink-back replaces the source by an absolute link to the verified copy', async () => {
    const before = sha256Of(path.join(w.ws, wav('044')));
    const r = await ytm(['store', '--episode', 'CH02-044', '--symlink-back', '--run', '--yes'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const src = path.join(w.ws, wav('044'));
    const dest = path.join(w.base, 'audio_final/CH02/044/CH02-044.wav');
    expect(lstatSync(src).isSymbolicLink()).toBe(true);
    expect(readlinkSync(src)).toBe(dest);
    expect(sha256Of(dest)).toBe(before);
    // Only heavy items are linked back: script and SRT stay files.
    expect(isFile('audio/final/CH02/044/CH02-044.srt')).toBe(true);
    expect(isFile('scripts/CH02/044/content/assembled_human.md')).toBe(true);
    // A second run recognises the link and has nothing to do for the WAV.
    const again = await ytm(['store', '--episode', 'CH02-044', '--symlink-back', '--json'], w.env);
    expect(again.exitCode).toBe(0);
    expect(json<Out>(again).plan.warnings.join(' ')).toContain('already stored and replaced by a link');
    // `--run` keeps the dry run's per-file explanation, and says "up to date" once per file.
    const run = await ytm(['store', '--episode', 'CH02-044', '--run'], w.env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(`warning: ${wav('044')} is already stored and replaced by a link`);
    const lines = run.stdout.split('\n').filter((l) => /^ {2}\d+\. /.test(l));
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l).toMatch(/^ {2}\d\. up to date: copy .+ \[already there with the same SHA-256\]$/);
      expect(l.split('up to date')).toHaveLength(2);
    }
  });

  it('published by status.json published_lock only: --move removes the source after the copy', async () => {
    const before = sha256Of(path.join(w.ws, wav('045')));
    const r = await ytm(['store', wav('045'), '--move', '--run', '--yes'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(() => lstatSync(path.join(w.ws, wav('045')))).toThrow();
    expect(sha256Of(path.join(w.base, 'audio_final/CH02/045/CH02-045.wav'))).toBe(before);
  });
});

describe('break-glass is allowed and audited', () => {
  it('--allow-unposted', async () => {
    const r = await ytm(['store', wav('043'), '--symlink-back', '--allow-unposted', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = json<Out>(r);
    expect(out.plan.warnings.join(' ')).toContain('BREAK-GLASS');
    expect(lstatSync(path.join(w.ws, wav('043'))).isSymbolicLink()).toBe(true);
    const overrides = (await readAudit(w.state)).filter((e) => e.kind === 'job.override');
    expect(overrides).toHaveLength(1);
    expect(overrides[0]).toMatchObject({
      planId: out.planId,
      data: { episode: 'CH02-043', via: '--allow-unposted', mode: 'symlink-back' },
    });
  });

  it('YTM_EMERGENCY_OVERRIDE=1', async () => {
    const r = await ytm(['store', wav('043'), '--move', '--run', '--yes', '--json'], {
      ...w.env,
      YTM_EMERGENCY_OVERRIDE: '1',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const overrides = (await readAudit(w.state)).filter((e) => e.kind === 'job.override');
    expect(overrides[0]?.data).toMatchObject({ episode: 'CH02-043', via: 'YTM_EMERGENCY_OVERRIDE=1', mode: 'move' });
  });
});

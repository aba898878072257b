// The local outbox: what a store left there while the share was down is listed with its manifest, and
// `outbox flush` copies it to the share with the verified copy, writes a new manifest, and removes the outbox
// copy only after verification. Refused while the share is down.
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateWorkspace } from '../fixtures/workspace.js';
import { filesUnder, manifestsIn } from './support/files.js';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace, sha256Of, writeFile } from './support/workspace.js';

type ListOut = {
  files: { rel: string; size: number; path: string; manifest: { file: string; offlineReason: string | null } | null }[];
  count: number;
};
type PlanOut = {
  plan: { refusals: { code: string }[]; actions: unknown[] };
  applied?: { state: string; counts: Record<string, number> };
};

let w: MiniWorkspace;
const STUB = () => path.join(w.share, 'README_MOUNTPOINT.txt');
beforeEach(async () => {
  w = miniWorkspace();
  writeFileSync(STUB(), 'offline');
  const r = await ytm(['store', '--episode', 'CH02-044', '--run'], w.env);
  expect(r.exitCode, r.stderr).toBe(0);
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

const waiting = () => filesUnder(w.outboxBase).filter((f) => !f.startsWith('manifests/'));

describe('outbox', () => {
  it('lists what waits, with sizes and manifests, manifests themselves excluded', async () => {
    const r = await ytm(['outbox', '--json'], w.env);
    expect(r.exitCode).toBe(0);
    const out = json<ListOut>(r);
    expect(out.files.map((f) => f.rel)).toEqual([
      'audio_final/CH02/044/CH02-044.srt',
      'audio_final/CH02/044/CH02-044.wav',
      'scripts/CH02/044/assembled_human.md',
    ]);
    for (const f of out.files) {
      expect(f.size).toBe(readFileSync(f.path).length);
      expect(f.manifest?.offlineReason).toBe('mountpoint stub detected (README_MOUNTPOINT.txt)');
    }
    const text = await ytm(['outbox'], w.env);
    expect(text.stdout).toContain('3 file(s)');
  });

  it('flush is refused while the share is down', async () => {
    const r = await ytm(['outbox', 'flush', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    expect(json<PlanOut>(r).plan.refusals[0]?.code).toBe('SHARE_DOWN');
    expect(waiting()).toHaveLength(3);
  });

  it('flush copies, verifies, writes new manifests and only then removes the outbox copies', async () => {
    unlinkSync(STUB());
    const hashes = Object.fromEntries(waiting().map((f) => [f, sha256Of(path.join(w.outboxBase, f))]));
    const dry = await ytm(['outbox', 'flush', '--json'], w.env);
    expect(dry.exitCode).toBe(0);
    expect(json<PlanOut>(dry).plan.actions).toHaveLength(3);
    expect(waiting()).toHaveLength(3);
    const noYes = await ytm(['outbox', 'flush', '--run'], w.env);
    expect(noYes.exitCode).toBe(2);
    expect(waiting()).toHaveLength(3);

    const r = await ytm(['outbox', 'flush', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(json<PlanOut>(r).applied?.state).toBe('succeeded');
    for (const [rel, sha] of Object.entries(hashes)) expect(sha256Of(path.join(w.base, rel))).toBe(sha);
    expect(waiting()).toEqual([]);
    const flushed = manifestsIn(w.base);
    expect(flushed).toHaveLength(3);
    for (const m of flushed) {
      expect(m.doc.shared.offline_fallback).toBe(false);
      expect(m.doc.shared.flushed_from).toBe(path.join(w.outboxBase, path.relative(w.base, m.doc.artifact.dest)));
    }
    expect(manifestsIn(w.outboxBase)).toHaveLength(3);
    expect(json<ListOut>(await ytm(['outbox', '--json'], w.env)).count).toBe(0);
  });

  it('a different file already at the share is refused and the outbox copy kept', async () => {
    unlinkSync(STUB());
    writeFile(path.join(w.base, 'audio_final/CH02/044/CH02-044.srt'), 'different');
    const r = await ytm(['outbox', 'flush', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    expect(json<PlanOut>(r).plan.refusals.map((x) => x.code)).toEqual(['DEST_DIFFERS']);
    expect(waiting()).toHaveLength(3);
  });

  it('an outbox root used through the stub link (facts §1.4) is remembered and flushed after recovery', async () => {
    // A second store, now without YTM_SHARED_STORAGE_FALLBACK_ROOT: the stub's ytm_workspaces link decides.
    const alt = path.join(w.dir, 'share__LOCAL_BACKUP', 'outbox', 'ytm_share');
    writeFile(path.join(alt, 'ytm_workspaces', '.keep'), '');
    const { symlinkSync } = await import('node:fs');
    symlinkSync(path.join(alt, 'ytm_workspaces'), path.join(w.share, 'ytm_workspaces'));
    const env = { ...w.env };
    delete (env as Record<string, string | undefined>).YTM_SHARED_STORAGE_FALLBACK_ROOT;
    const s = await ytm(['store', 'audio/final/CH02/045/CH02-045.wav', '--run'], env);
    expect(s.exitCode, s.stderr).toBe(0);
    expect(filesUnder(path.join(alt, 'uploads'))).toContain('factory_commentary/audio_final/CH02/045/CH02-045.wav');
    unlinkSync(STUB());
    unlinkSync(path.join(w.share, 'ytm_workspaces'));
    const listed = json<ListOut>(await ytm(['outbox', '--json'], env));
    expect(listed.files.map((f) => f.rel)).toContain('audio_final/CH02/045/CH02-045.wav');
    const r = await ytm(['outbox', 'flush', '--run', '--yes'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(filesUnder(path.join(alt, 'uploads')).filter((f) => !f.includes('/manifests/'))).toEqual([]);
    expect(sha256Of(path.join(w.base, 'audio_final/CH02/045/CH02-045.wav'))).toBe(
      sha256Of(path.join(w.ws, 'audio/final/CH02/045/CH02-045.wav')),
    );
  });
});

describe('outbox on the fixture workspace', () => {
  it('lists and flushes the fixture generator outbox files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ytm-outbox-fixture-'));
    try {
      const g = await generateWorkspace({ dir: path.join(dir, 'w'), faults: { outboxPending: true } });
      const env = { PATH: process.env.PATH ?? '', HOME: dir, YTM_ENV_FILE: path.join(dir, 'none.env'), ...g.env };
      const listed = json<ListOut>(await ytm(['outbox', '--json'], env));
      expect(listed.files.map((f) => f.path).sort()).toEqual([...g.details.outboxPending].sort());
      const r = await ytm(['outbox', 'flush', '--run', '--yes', '--json'], env);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(json<ListOut>(await ytm(['outbox', '--json'], env)).count).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

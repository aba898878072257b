// `store --move` into a share folder that is a symlink back into the workspace: the "copy" is the source itself,
// hashes equal, and removing the source would delete the only copy. The job must refuse and keep it.
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace, sha256Of } from './support/workspace.js';

let w: MiniWorkspace | undefined;
afterEach(async () => {
  if (w) await rm(w.dir, { recursive: true, force: true });
  w = undefined;
});

describe('store --move when the destination is the source itself', () => {
  it('refuses to remove the source and keeps its bytes', async () => {
    w = miniWorkspace({ prefix: 'ytm-samefile-job-' });
    const rel = 'audio/final/CH02/044/CH02-044.wav';
    const src = path.join(w.ws, rel);
    const before = sha256Of(src);
    mkdirSync(path.join(w.base, 'audio_final', 'CH02'), { recursive: true });
    symlinkSync(path.dirname(src), path.join(w.base, 'audio_final', 'CH02', '044'));
    const r = await ytm(['store', rel, '--move', '--run', '--yes', '--json'], w.env);
    const out = json<{ applied?: { state: string; outcomes: { status: string; message: string }[] } }>(r);
    expect(r.exitCode, r.stdout).not.toBe(0);
    if (out.applied) expect(out.applied.outcomes[0]?.status).toBe('failed');
    expect(readFileSync(src).length).toBeGreaterThan(0);
    expect(sha256Of(src)).toBe(before);
  });
});

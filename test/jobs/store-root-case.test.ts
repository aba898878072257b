// YTM_WORKSPACE_ROOT written in another letter case than the disk (`~/10_youtube_automation` for
// `~/10_YouTube_Automation`): the root and every path under it are resolved the same way
// (lib/fs/real-path.ts), so a store is not refused as leaving the workspace. On a real case-insensitive volume.
import { lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreAction } from '../../jobs/store/action.js';
import { type ExfatMount, mountExfat } from '../faults/exfat.js';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace } from './support/workspace.js';

type Out = { plan: { actions: StoreAction[]; refusals: { code: string; message: string }[] } };

let vol: ExfatMount;
let w: MiniWorkspace;
let repoParent: string;
beforeAll(async () => {
  vol = await mountExfat(tmpdir());
  repoParent = mkdtempSync(path.join(vol.dir, 'Repo_Parent-'));
  w = miniWorkspace({ repoParent });
});
afterAll(async () => {
  if (w) rmSync(w.dir, { recursive: true, force: true });
  await vol?.close();
});

/** The workspace root as a user might type it: the factory's folders in lower case. */
const lowerRoot = () =>
  path.join(path.dirname(repoParent), path.basename(repoParent).toLowerCase(), 'factory_commentary', 'workspaces');

describe('workspace root in another letter case than the disk', () => {
  it.each([
    ['a workspace-relative path', () => 'audio/final/CH02/044/CH02-044.wav'],
    ['an absolute path spelled as on disk', () => path.join(w.ws, 'audio/final/CH02/044/CH02-044.wav')],
    ['an absolute path spelled as configured', () => path.join(lowerRoot(), 'audio/final/CH02/044/CH02-044.wav')],
  ])('%s is stored and linked back, not refused', async (_, file) => {
    const env = { ...w.env, YTM_WORKSPACE_ROOT: lowerRoot() };
    const r = await ytm(['store', file(), '--symlink-back', '--json'], env);
    const out = json<Out>(r);
    expect(out.plan.refusals).toEqual([]);
    expect(out.plan.actions[0]).toMatchObject({ episode: 'CH02-044', destRel: 'audio_final/CH02/044/CH02-044.wav' });
  });

  it('--run stores it and links the source back', async () => {
    const env = { ...w.env, YTM_WORKSPACE_ROOT: lowerRoot() };
    const r = await ytm(
      ['store', path.join(w.ws, 'audio/final/CH02/044/CH02-044.srt'), '--run', '--yes', '--json'],
      env,
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(lstatSync(path.join(w.base, 'audio_final/CH02/044/CH02-044.srt')).isFile()).toBe(true);
  });
});

// `runs archive` when the archive folder is on another device (a real tmpfs mounted on video/_archive): the
// rename fails with EXDEV, so each run is copied file by file, verified, and only then removed from video/runs.
// The plan says it frees space; the tree in the archive, and after a restore, has the same paths and hashes.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canMount, closeAllMounts, mountTmpfs } from '../faults/tmpfs.js';
import { type GeneratedWorkspace, generateWorkspace } from '../fixtures/workspace.js';
import { filesUnder } from './support/files.js';
import { json, ytm } from './support/run.js';
import { sha256Of } from './support/workspace.js';

let w: GeneratedWorkspace;
let env: Record<string, string>;

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of filesUnder(dir)) {
    const abs = path.join(dir, f);
    out[f] = lstatSync(abs).isSymbolicLink() ? `-> ${readlinkSync(abs)}` : sha256Of(abs);
  }
  return out;
}

describe.skipIf(canMount() !== null)('runs archive across devices (tmpfs on video/_archive)', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ytm-runs-xdev-'));
    rmSync(dir, { recursive: true });
    w = await generateWorkspace({ dir, channels: 2, episodesPerChannel: 6, runsPerEpisode: 1, imagesPerRun: 1 });
    env = { PATH: process.env.PATH ?? '', HOME: w.dir, YTM_ENV_FILE: path.join(w.dir, 'no.env'), ...w.env };
    const archive = path.join(w.paths.workspace, 'video', '_archive');
    mkdirSync(archive, { recursive: true });
    await mountTmpfs(archive, 16);
  }, 60_000);

  afterAll(async () => {
    await closeAllMounts();
    rmSync(w.dir, { recursive: true, force: true });
  });

  it('copies, verifies, removes the source; the restore brings the same tree back', async () => {
    const ep = w.details.episodes.find((e) => e.postedCsv && !e.frozen && !e.statusMalformed);
    if (!ep) throw new Error('no posted episode');
    const old = new Date(Date.now() - 9 * 86_400_000);
    const ids = [0, 1, 2, 3].map((i) => `${ep.id}_xdev_${i}`);
    for (const id of ids) {
      const d = path.join(w.paths.videoRuns, id);
      mkdirSync(path.join(d, 'images'), { recursive: true });
      writeFileSync(path.join(d, 'images', '0001.png'), `png ${id}`.repeat(1000));
      writeFileSync(path.join(d, 'image_cues.json'), JSON.stringify({ id }));
      symlinkSync('/nonexistent/draft', path.join(d, 'capcut_draft'));
      for (const p of [path.join(d, 'images', '0001.png'), path.join(d, 'image_cues.json'), path.join(d, 'images'), d])
        utimesSync(p, old, old);
    }
    const before = tree(w.paths.videoRuns);
    const args = ['runs', 'archive', '--channel', ep.id.slice(0, 4), '--video', ep.id.slice(5)];
    const plan = json<{ plan: { summary: string } }>(await ytm([...args, '--json'], env));
    expect(plan.plan.summary).toContain('freed');
    const r = await ytm([...args, '--run', '--json'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const applied = json<{
      applied: { outcomes: { status: string; message: string; details?: { src: string; dest: string } }[] };
    }>(r).applied;
    const moves = applied.outcomes.filter((o) => o.details?.dest);
    expect(moves.length).toBeGreaterThan(0);
    for (const m of moves) {
      expect(m.message).toBe('copied to the other disk, verified, source removed');
      const { src, dest } = m.details as { src: string; dest: string };
      expect(existsSync(src)).toBe(false);
      const rel = path.basename(src);
      const inArchive = Object.fromEntries(Object.entries(tree(dest)).map(([k, v]) => [`${rel}/${k}`, v]));
      for (const [k, v] of Object.entries(inArchive)) expect(before[k]).toBe(v);
    }
    expect(filesUnder(path.join(w.paths.workspace, 'video', '_archive')).some((f) => f.includes('.tmp__'))).toBe(false);
    const report = path.join(
      path.dirname(path.dirname(path.dirname(moves[0]?.details?.dest as string))),
      'archive_report.json',
    );
    const back = await ytm(['runs', 'restore', report, '--run', '--json'], env);
    expect(back.exitCode, back.stderr).toBe(0);
    expect(tree(w.paths.videoRuns)).toEqual(before);
  });
});

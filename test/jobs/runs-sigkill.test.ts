// SIGKILL of the real `ytm runs archive --run` (its whole process group, as closing the terminal would) at a
// random point of the apply, then a rerun: no run is ever lost, every archive_report.json matches the disk
// (moves[] are at their destination, pending[] are not), and restoring from the reports gives back the tree.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../fixtures/rng.js';
import { type GeneratedWorkspace, generateWorkspace } from '../fixtures/workspace.js';
import { filesUnder } from './support/files.js';
import { YTM_ENTRY, ytm } from './support/run.js';
import { sha256Of } from './support/workspace.js';

const TRIALS = 6;
const RUNS = 40;
let w: GeneratedWorkspace;
let env: Record<string, string>;
let episode: string;

/** Kills `ytm … --events` and its children once `after` actions have finished (plus a random few ms). */
function killAfterActions(args: string[], after: number, extraMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [YTM_ENTRY, ...args, '--events'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stderr.resume();
    let done = 0;
    let killed = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (killed || !line.includes('"action-done"')) return;
      done += 1;
      if (done !== after) return;
      setTimeout(() => {
        if (child.exitCode !== null || child.pid === undefined) return;
        try {
          process.kill(-child.pid, 'SIGKILL');
          killed = true;
        } catch {
          // already gone
        }
      }, extraMs);
    });
    child.on('exit', () => resolve(killed));
  });
}

/** run id → hash of its files, wherever the run is now (video/runs or any archive). */
function runsAnywhere(): Map<string, string> {
  const out = new Map<string, string>();
  const add = (dir: string) => {
    for (const id of existsSync(dir) ? readdirSync(dir) : []) {
      if (!id.startsWith(`${episode}_old_`)) continue;
      expect(out.has(id), `${id} is in two places`).toBe(false);
      const root = path.join(dir, id);
      out.set(
        id,
        filesUnder(root)
          .map((f) => `${f}:${sha256Of(path.join(root, f))}`)
          .join('|'),
      );
    }
  };
  add(w.paths.videoRuns);
  const archive = path.join(w.paths.workspace, 'video', '_archive');
  for (const stamp of existsSync(archive) ? readdirSync(archive) : [])
    add(path.join(archive, stamp, episode.slice(0, 4), 'runs'));
  return out;
}

function plantRuns(): void {
  rmSync(path.join(w.paths.workspace, 'video', '_archive'), { recursive: true, force: true });
  const old = new Date(Date.now() - 5 * 86_400_000);
  for (let i = 0; i < RUNS; i++) {
    const dir = path.join(w.paths.videoRuns, `${episode}_old_${String(i).padStart(2, '0')}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'images'), { recursive: true });
    for (let k = 0; k < 5; k++) writeFileSync(path.join(dir, 'images', `${k}.png`), `run ${i} image ${k}`);
    writeFileSync(path.join(dir, 'image_cues.json'), JSON.stringify({ i }));
    for (const p of [...filesUnder(dir).map((f) => path.join(dir, f)), path.join(dir, 'images'), dir])
      utimesSync(p, old, old);
  }
}

function reports(): string[] {
  const archive = path.join(w.paths.workspace, 'video', '_archive');
  return (existsSync(archive) ? readdirSync(archive) : [])
    .map((s) => path.join(archive, s, 'archive_report.json'))
    .filter(existsSync);
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ytm-runs-kill-'));
  rmSync(dir, { recursive: true });
  w = await generateWorkspace({ dir, channels: 2, episodesPerChannel: 6, runsPerEpisode: 1, imagesPerRun: 1 });
  env = { PATH: process.env.PATH ?? '', HOME: w.dir, YTM_ENV_FILE: path.join(w.dir, 'no.env'), ...w.env };
  const ep = w.details.episodes.find((e) => e.postedCsv && !e.frozen && !e.statusMalformed);
  if (!ep) throw new Error('fixture has no posted episode');
  episode = ep.id;
}, 60_000);

afterAll(() => rmSync(w.dir, { recursive: true, force: true }));

describe('SIGKILL during runs archive, then rerun', () => {
  it(`${TRIALS} kills at random actions: nothing lost, reports match the disk, restore gives the tree back`, async () => {
    const rnd = mulberry32(808);
    const args = ['runs', 'archive', '--channel', episode.slice(0, 4), '--video', episode.slice(5), '--run', '--yes'];
    let kills = 0;
    for (let t = 0; t < TRIALS; t++) {
      plantRuns();
      const before = runsAnywhere();
      expect(before.size).toBe(RUNS);
      if (await killAfterActions(args, 2 + Math.floor(rnd() * (RUNS - 6)), Math.floor(rnd() * 3))) kills++;
      expect(runsAnywhere(), `trial ${t}: a run was lost or changed by the kill`).toEqual(before);

      const rerun = await ytm([...args, '--json'], env, { timeoutMs: 120_000 });
      expect(rerun.exitCode, rerun.stderr).toBe(0);
      expect(runsAnywhere()).toEqual(before);
      for (const file of reports()) {
        const r = JSON.parse(readFileSync(file, 'utf8'));
        expect(r.ytm_ops.complete, file).toBe(true);
        for (const m of r.moves) expect(existsSync(m.dest) && !existsSync(m.src), `${file}: ${m.run_id}`).toBe(true);
        for (const m of r.pending) expect(existsSync(m.dest), `${file}: ${m.run_id} pending`).toBe(false);
      }
      // Restoring from every report puts every archived run back where it was, unchanged.
      for (const file of reports()) {
        const res = await ytm(['runs', 'restore', file, '--run', '--json'], env, { timeoutMs: 120_000 });
        expect(res.exitCode, res.stderr).toBe(0);
      }
      const back = runsAnywhere();
      expect(back).toEqual(before);
      expect([...back.keys()].every((id) => existsSync(path.join(w.paths.videoRuns, id)))).toBe(true);
    }
    expect(kills).toBeGreaterThanOrEqual(Math.floor(TRIALS / 2));
  }, 600_000);
});

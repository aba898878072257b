// Bench: `ytm runs archive --run`, `ytm runs restore --run` and `ytm archive published --run` of a channel
// holding 20,000 files on one volume, against `mv` of the same folders in the same run (issue 8: at most 1.2x).
// Both sides move folders by rename; ytm also plans (sizes every tree once, checks locks and posted state),
// re-checks the plan before the apply, journals and reports every folder move, and runs as three Node
// processes (the command, its plan child and its apply child), which the ratio includes. `startMs` is what
// those three start-ups alone cost on this machine in the same run (`ytm --version` three times): the part of
// the gap no change inside the jobs can close.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { stampOf } from '../../jobs/engine/stamp.js';
import { generateWorkspace } from '../fixtures/workspace.js';
import { YTM_ENTRY } from '../jobs/support/run.js';

export interface ArchiveFigure {
  ytmMs: number;
  mvMs: number;
  ratio: number;
}

export interface ArchiveBenchFigures {
  files: number;
  /** Three `ytm --version` start-ups, measured in this run. */
  startMs: number;
  runsArchive: ArchiveFigure;
  runsRestore: ArchiveFigure;
  published: ArchiveFigure;
}

const RUNS = 100;
const FILES_PER_RUN = 200;

async function timed(cmd: string, args: string[], env?: Record<string, string>): Promise<number> {
  const t = performance.now();
  const r = await execa(cmd, args, { env, reject: false, extendEnv: false, stdout: 'ignore', stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.slice(0, 4).join(' ')} failed: ${r.stderr}`);
  return performance.now() - t;
}

export async function benchArchive(dir: string): Promise<ArchiveBenchFigures> {
  const w = await generateWorkspace({ dir, channels: 2, episodesPerChannel: 6, runsPerEpisode: 1, imagesPerRun: 1 });
  const ep = w.details.episodes.find((e) => e.postedCsv && !e.frozen && !e.statusMalformed);
  if (!ep) throw new Error('no posted episode in the bench workspace');
  const env = { PATH: process.env.PATH ?? '', HOME: dir, YTM_ENV_FILE: path.join(dir, 'no.env'), ...w.env };
  const runIds = Array.from({ length: RUNS }, (_, i) => `${ep.id}_bench_${String(i).padStart(3, '0')}`);
  const plant = () => {
    const old = Date.now() / 1000 - 5 * 86_400;
    for (const id of runIds) {
      const d = path.join(w.paths.videoRuns, id, 'images');
      mkdirSync(d, { recursive: true });
      for (let k = 0; k < FILES_PER_RUN; k++) writeFileSync(path.join(d, `${k}.png`), 'x');
    }
    return execa('touch', [
      '-d',
      `@${Math.floor(old)}`,
      ...runIds.flatMap((id) => [path.join(w.paths.videoRuns, id, 'images'), path.join(w.paths.videoRuns, id)]),
    ]);
  };
  const ch = ep.id.slice(0, 4);
  const archiveDir = path.join(w.paths.workspace, 'video', '_archive');
  const clear = () => rmSync(archiveDir, { recursive: true, force: true });

  // runs archive vs mv -t
  await plant();
  const raMs = await timed(process.execPath, [YTM_ENTRY, 'runs', 'archive', '--channel', ch, '--run', '--yes'], env);
  const stamp = readdirSync(archiveDir)[0] as string;
  const report = path.join(archiveDir, stamp, 'archive_report.json');
  const rrMs = await timed(process.execPath, [YTM_ENTRY, 'runs', 'restore', report, '--run', '--yes'], env);
  clear();
  const moved = runIds.slice(0, RUNS - 2).map((id) => path.join(w.paths.videoRuns, id)); // ytm keeps the newest 2
  const mvDest = path.join(archiveDir, stampOf(new Date()), ch, 'runs');
  const mvArchiveMs = await timed('sh', ['-c', 'mkdir -p "$0" && mv -t "$0" "$@"', mvDest, ...moved]);
  const mvRestoreMs = await timed('mv', [
    '-t',
    w.paths.videoRuns,
    ...moved.map((m) => path.join(mvDest, path.basename(m))),
  ]);
  clear();

  // archive published (video runs of the posted episode) vs mv -t
  const pubMs = await timed(
    process.execPath,
    [YTM_ENTRY, 'archive', 'published', '--channel', ch, '--video', ep.id.slice(5), '--video-runs', '--run', '--yes'],
    env,
  );
  const pubSrcs = readdirSync(path.join(archiveDir, readdirSync(archiveDir)[0] as string, ch, 'runs'));
  const back = path.join(archiveDir, readdirSync(archiveDir)[0] as string, ch, 'runs');
  await execa('mv', ['-t', w.paths.videoRuns, ...pubSrcs.map((n) => path.join(back, n))]);
  clear();
  const mvPubDest = path.join(archiveDir, stampOf(new Date()), ch, 'runs');
  const mvPubMs = await timed('sh', [
    '-c',
    'mkdir -p "$0" && mv -t "$0" "$@"',
    mvPubDest,
    ...pubSrcs.map((n) => path.join(w.paths.videoRuns, n)),
  ]);
  let startMs = 0;
  for (let i = 0; i < 3; i++) startMs += await timed(process.execPath, [YTM_ENTRY, '--version'], env);
  const r = (a: number, b: number): ArchiveFigure => ({
    ytmMs: Math.round(a),
    mvMs: Math.round(b),
    ratio: Number((a / b).toFixed(2)),
  });
  return {
    files: RUNS * FILES_PER_RUN,
    startMs: Math.round(startMs),
    runsArchive: r(raMs, mvArchiveMs),
    runsRestore: r(rrMs, mvRestoreMs),
    published: r(pubMs, mvPubMs),
  };
}

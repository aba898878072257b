// `npm run bench`: speed and memory side by side with the reference tools, in the same run, as ratios.
// `npm run bench -- --only doctor --only ack --only alerts --only store --only archive --only mirror --rounds 5`
// `--alerts-minutes 5 --alerts-interval 1`: the alerts bench's idle phase and its compressed monitor interval (s).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateWorkspace } from '../fixtures/workspace.js';
import { benchAck } from './ack.js';
import { benchAlerts, type TickCount } from './alerts.js';
import { benchArchive } from './archive.js';
import { benchDoctor } from './doctor.js';
import { benchMirror, mirrorVerdict } from './mirror.js';
import { benchStore } from './store.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    rounds: { type: 'string' },
    'alerts-minutes': { type: 'string' },
    'alerts-interval': { type: 'string' },
  },
});
const only = new Set(values.only ?? []);
const want = (name: string) => only.size === 0 || only.has(name);
const rounds = Number(values.rounds ?? 5);

const dir = await mkdtemp(path.join(os.tmpdir(), 'ytm-bench-'));
try {
  if (want('doctor') || want('ack') || want('alerts')) {
    const t0 = Date.now();
    const ws = await generateWorkspace({
      dir: path.join(dir, 'ws'),
      channels: 10,
      episodesPerChannel: 40,
      runsPerEpisode: 2,
      imagesPerRun: 240,
      faults: true,
    });
    console.log(
      `workspace: ${ws.entries} entries, ${ws.symlinks} symlinks (generated in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    if (want('doctor')) {
      const b = await benchDoctor(ws, rounds);
      console.log(
        `doctor vs find -xtype l: find ${b.findMs.toFixed(0)} ms, ytm doctor --json ${b.doctorMs.toFixed(0)} ms, ratio ${b.ratio.toFixed(2)}x (target <= 1.5x); doctor peak RSS ${b.doctorPeakRssMiB?.toFixed(0) ?? '?'} MiB (target < 200 MiB)`,
      );
    }
    if (want('ack')) {
      const a = await benchAck(ws, 200);
      console.log(
        `ack latency, ${a.commands} /ytm commands while doctor jobs scan the workspace: bot p50 ${a.bot.p50.toFixed(1)} ms p99 ${a.bot.p99.toFixed(1)} ms; minimal Bolt p50 ${a.minimal.p50.toFixed(1)} ms p99 ${a.minimal.p99.toFixed(1)} ms; p99 ratio ${a.ratioP99.toFixed(2)}x (target p99 < 50 ms, <= 3x); bot idle RSS ${a.botIdleRssMiB.toFixed(0)} MiB (target < 150 MiB)`,
      );
    }
    if (want('alerts')) {
      const minutes = Number(values['alerts-minutes'] ?? 5);
      const intervalSec = Number(values['alerts-interval'] ?? 1);
      const r = await benchAlerts(ws, { minutes, intervalSec, commands: 200 });
      const ticks = (t: TickCount) =>
        `${t.ran} monitor runs (${t.notOk} not ok, median ${t.medianRunMs.toFixed(0)} ms), ${t.skipped} ticks skipped while a run was still going`;
      const load = os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
      console.log(
        `alerts idle, ${minutes} min of monitor ticks every ${intervalSec} s (full doctor every ${r.doctorEveryMin * 60} s), ${ticks(r.idle.ticks)}, ${r.alertMessagesPosted} alert messages posted: bot RSS ${r.connectedMiB.toFixed(1)} MiB when connected, then first ${r.idle.firstMiB.toFixed(1)} MiB, last ${r.idle.lastMiB.toFixed(1)} MiB, max ${r.idle.maxMiB.toFixed(1)} MiB over ${r.idle.samples} samples, slope over the second half ${r.idle.slopeMiBPerHour.toFixed(2)} MiB/h = ${r.idle.slopeKiBPerTick.toFixed(2)} KiB per monitor run (target < 100 MiB, flat)`,
      );
      console.log(
        `alerts ack, ${r.ack.commands} /ytm commands to each app over 60 s of monitor ticks (${ticks(r.ack.ticks)}): bot p50 ${r.ack.bot.p50.toFixed(1)} ms p99 ${r.ack.bot.p99.toFixed(1)} ms; bare Bolt p50 ${r.ack.minimal.p50.toFixed(1)} ms p99 ${r.ack.minimal.p99.toFixed(1)} ms; p99 ratio ${r.ack.ratioP99.toFixed(2)}x (target <= 2x); load average ${load}`,
      );
    }
  }
  if (want('store')) {
    const f = await benchStore();
    const mib = (n: number | null) => (n === null ? 'n/a' : `${(n / 1024 / 1024).toFixed(1)} MiB`);
    console.log(
      `store 1 GiB: ytm store --run ${f.storeMs} ms vs cp + sha256sum ${f.referenceMs} ms, ratio ${f.ratio}x (target <= 1.2); store peak RSS ${mib(f.storePeakRssBytes)} (target < 128 MiB)`,
    );
  }
  if (want('archive')) {
    const a = await benchArchive(path.join(dir, 'archive'));
    const line = (name: string, f: { ytmMs: number; mvMs: number; ratio: number }) =>
      `${name} of ${a.files} files: ytm ${f.ytmMs} ms vs mv ${f.mvMs} ms, ratio ${f.ratio}x (goal <= 1.2x); of the ytm time, ${a.startMs} ms is starting its 3 Node processes`;
    console.log(line('runs archive --run', a.runsArchive));
    console.log(line('runs restore --run', a.runsRestore));
    console.log(line('archive published --video-runs --run', a.published));
  }
  if (want('mirror')) {
    for (const row of await benchMirror()) console.log(mirrorVerdict(row));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { baseEnv, type LogLine, MONITOR_SCHEDULE, OPS_CHANNEL, spawnBot } from '../e2e/harness.js';
import type { GeneratedWorkspace } from '../fixtures/workspace.js';
import { SlackEmulator } from '../slack/emulator.js';
import { ackLatency, rssMiB, startMinimalBolt } from './ack.js';
import { median, percentile } from './measure.js';

// The real bot with only the `monitor` job scheduled (test/e2e/schedule-monitor.yaml) on the generated workspace,
// its alerts posted to the emulator. An hour of 60 s ticks is compressed into a few minutes of short ticks, with
// the full doctor refresh kept at the same share of ticks. Two phases:
// 1. idle: no commands, the bot's RSS sampled every second while the ticks run;
// 2. ack: /ytm commands paced over a minute of ticks, alternating between the bot and a bare Bolt app on a second
//    emulator, so both see the same machine load at the same moments.

/** YTM_MONITOR_DOCTOR_EVERY_MIN's default (15 min) at the default 60 s ticks: a full doctor every 15th tick. */
const DOCTOR_EVERY_TICKS = 15;
const SAMPLE_MS = 1000;
const ACK_PHASE_MS = 60_000;

export interface TickCount {
  /** Monitor children that ran to completion (any outcome but skipped). */
  ran: number;
  /** Ticks that started nothing because the previous child was still running (a doctor refresh). */
  skipped: number;
  /** Runs that did not end ok (failed, timeout, refused). */
  notOk: number;
  /** Median wall time of the runs, from the tick to the bot's record of the result. */
  medianRunMs: number;
}

export interface AlertsBench {
  intervalSec: number;
  doctorEveryMin: number;
  /** RSS when the bot had just connected, before its first monitor run finished. */
  connectedMiB: number;
  idle: {
    minutes: number;
    ticks: TickCount;
    samples: number;
    firstMiB: number;
    lastMiB: number;
    maxMiB: number;
    /** Least-squares slope of RSS over the idle phase's second half (the first settles from start-up). */
    slopeMiBPerHour: number;
    slopeKiBPerTick: number;
  };
  ack: {
    commands: number;
    ticks: TickCount;
    bot: { p50: number; p99: number };
    minimal: { p50: number; p99: number };
    ratioP99: number;
  };
  alertMessagesPosted: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ticksIn(lines: readonly LogLine[]): TickCount {
  const runs = lines.filter((l) => l.msg === 'scheduled run finished' && l.job === 'monitor');
  const ran = runs.filter((l) => l.outcome !== 'skipped-overlap');
  return {
    ran: ran.length,
    skipped: runs.length - ran.length,
    notOk: ran.filter((l) => l.outcome !== 'ok').length,
    medianRunMs: median(ran.map((l) => Number(l.time) - Date.parse(String(l.startedAt)))),
  };
}

/** Slope of y over x (least squares), in y units per x unit. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function benchAlerts(
  ws: GeneratedWorkspace,
  opts: { minutes: number; intervalSec: number; commands: number },
): Promise<AlertsBench> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ytm-alertbench-'));
  const doctorEveryMin = (DOCTOR_EVERY_TICKS * opts.intervalSec) / 60;
  const emu = await SlackEmulator.start();
  const emuBare = await SlackEmulator.start();
  const bot = spawnBot(
    {
      ...baseEnv(emu, ws, path.join(dir, 'state')),
      YTM_SCHEDULE_MANIFEST: MONITOR_SCHEDULE,
      YTM_MONITOR_INTERVAL_SEC: String(opts.intervalSec),
      YTM_MONITOR_DOCTOR_EVERY_MIN: String(doctorEveryMin),
      YTM_SLACK_ALERT_CHANNEL: OPS_CHANNEL,
      // Socket Mode pings at the production default, as the bare app does (the e2e harness pings every 0.5 s).
      YTM_SLACK_CLIENT_PING_TIMEOUT_MS: '15000',
    },
    dir,
  );
  const bare = startMinimalBolt(emuBare);
  try {
    await bot.waitForLog((l) => l.msg === 'bot connected (Socket Mode)', 20_000);
    const connectedMiB = rssMiB(bot.pid);
    await emuBare.waitForConnection(1, 20_000);
    // Warm-up: the first tick runs the full doctor (no report yet) and fires the fixture's alerts.
    await bot.waitForLog((l) => l.msg === 'scheduled run finished' && l.job === 'monitor', 120_000);

    const idleFrom = bot.lines.length;
    const started = Date.now();
    const samples: { x: number; y: number }[] = [];
    while (Date.now() - started < opts.minutes * 60_000) {
      samples.push({ x: (Date.now() - started) / 60_000, y: rssMiB(bot.pid) });
      await sleep(SAMPLE_MS);
    }
    const idleTicks = ticksIn(bot.lines.slice(idleFrom));

    const ackFrom = bot.lines.length;
    const botLat: number[] = [];
    const bareLat: number[] = [];
    const pace = ACK_PHASE_MS / opts.commands;
    for (let i = 0; i < opts.commands; i++) {
      // Every 10th is /ytm status, which reads the alert state the monitor ticks write.
      const text = i % 10 === 0 ? 'status' : 'help';
      const t0 = Date.now();
      if (i % 2 === 0) {
        botLat.push(await ackLatency(emu, text));
        bareLat.push(await ackLatency(emuBare, text));
      } else {
        bareLat.push(await ackLatency(emuBare, text));
        botLat.push(await ackLatency(emu, text));
      }
      await sleep(Math.max(0, pace - (Date.now() - t0)));
    }
    const ackTicks = ticksIn(bot.lines.slice(ackFrom));

    const ys = samples.map((s) => s.y);
    const slopePerMin = slope(samples.slice(Math.floor(samples.length / 2)));
    const ticksPerMin = idleTicks.ran / opts.minutes;
    const bot99 = percentile(botLat, 99);
    const bare99 = percentile(bareLat, 99);
    return {
      intervalSec: opts.intervalSec,
      doctorEveryMin,
      connectedMiB,
      idle: {
        minutes: opts.minutes,
        ticks: idleTicks,
        samples: samples.length,
        firstMiB: ys[0] as number,
        lastMiB: ys[ys.length - 1] as number,
        maxMiB: Math.max(...ys),
        slopeMiBPerHour: slopePerMin * 60,
        slopeKiBPerTick: ticksPerMin > 0 ? (slopePerMin * 1024) / ticksPerMin : Number.NaN,
      },
      ack: {
        commands: opts.commands,
        ticks: ackTicks,
        bot: { p50: percentile(botLat, 50), p99: bot99 },
        minimal: { p50: percentile(bareLat, 50), p99: bare99 },
        ratioP99: bot99 / bare99,
      },
      alertMessagesPosted: emu.callsTo('chat.postMessage').filter((c) => c.body.channel === OPS_CHANNEL).length,
    };
  } finally {
    await bot.stop();
    await bare.stop();
    await emu.stop();
    await emuBare.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { compiledEntry } from '../../lib/guard/entry.js';
import { ALLOWED_USER, baseEnv, OPS_CHANNEL, spawnBot } from '../e2e/harness.js';
import type { GeneratedWorkspace } from '../fixtures/workspace.js';
import { SlackEmulator } from '../slack/emulator.js';
import { percentile } from './measure.js';

// Ack latency of the real bot while doctor jobs scan a large workspace, against a minimal Bolt app that only
// acks, in the same run on the same emulator code. Latency = emulator sends the envelope → ack frame arrives.

export interface AckBench {
  commands: number;
  bot: { p50: number; p99: number };
  minimal: { p50: number; p99: number };
  ratioP99: number;
  doctorJobsStarted: number;
  botIdleRssMiB: number;
}

export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** One /ytm command from the allowed user, timed from the envelope being sent to its ack arriving. */
export async function ackLatency(emu: SlackEmulator, text: string): Promise<number> {
  const { envelopeId } = emu.pushSlashCommand({
    command: '/ytm',
    text,
    user_id: ALLOWED_USER,
    channel_id: OPS_CHANNEL,
  });
  return (await emu.waitForAck(envelopeId, 5000)).latencyMs;
}

async function fire(emu: SlackEmulator, n: number, text: (i: number) => string): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) latencies.push(await ackLatency(emu, text(i)));
  return latencies;
}

/** The bare Bolt app (minimal-bolt.ts) connected to `emu`; `stop` ends it. Wait for its connection on `emu`. */
export function startMinimalBolt(emu: SlackEmulator): { stop: () => Promise<void> } {
  const child = execa(process.execPath, [compiledEntry('test/bench/minimal-bolt.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_API_URL: emu.apiUrl,
      SLACK_BOT_TOKEN: emu.botToken,
      SLACK_APP_TOKEN: emu.appToken,
    },
    extendEnv: false,
    reject: false,
  });
  return {
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
}

export async function benchAck(ws: GeneratedWorkspace, n = 200): Promise<AckBench> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ytm-ackbench-'));
  const emu = await SlackEmulator.start();
  const bot = spawnBot(baseEnv(emu, ws, path.join(dir, 'state')), dir);
  let botResult: { lat: number[]; idle: number; doctors: number };
  try {
    await bot.waitForLog((l) => l.msg === 'bot connected (Socket Mode)', 20_000);
    await new Promise((r) => setTimeout(r, 2000));
    const idle = rssMiB(bot.pid);
    // Every 20th command is a doctor (a child scanning the whole workspace); the rest are answered in the ack.
    const lat = await fire(emu, n, (i) => (i % 20 === 0 ? 'doctor' : 'help'));
    const doctors = (await emu.waitForCalls('chat.postMessage', 1, undefined, 60_000).catch(() => [])).length;
    botResult = { lat, idle, doctors };
  } finally {
    await bot.stop();
    await emu.stop();
  }

  const emu2 = await SlackEmulator.start();
  const minimal = startMinimalBolt(emu2);
  let minLat: number[];
  try {
    await emu2.waitForConnection(1, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    minLat = await fire(emu2, n, () => 'help');
  } finally {
    await minimal.stop();
    await emu2.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const bot99 = percentile(botResult.lat, 99);
  const min99 = percentile(minLat, 99);
  return {
    commands: n,
    bot: { p50: percentile(botResult.lat, 50), p99: bot99 },
    minimal: { p50: percentile(minLat, 50), p99: min99 },
    ratioP99: bot99 / min99,
    doctorJobsStarted: botResult.doctors,
    botIdleRssMiB: botResult.idle,
  };
}

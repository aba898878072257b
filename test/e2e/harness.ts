/**
 * Runs the REAL bot process (`node dist/bot/main.js`) against the loopback Slack emulator and a generated
 * factory workspace. Teardown order matters (slack-testing-notes gotcha 4): stop the bot first, then the emulator.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { compiledEntry } from '../../lib/guard/entry.js';
import { type GeneratedWorkspace, generateWorkspace } from '../fixtures/workspace.js';
import { SlackEmulator, type SlackEmulatorOptions } from '../slack/emulator.js';

// Works from the sources (vitest) and from dist/ (the benchmark imports this harness too).
export const BOT_MAIN = compiledEntry('bot/main.js');

/** An empty schedule manifest (test/e2e/schedule-none.yaml, read from the source tree). */
export const NO_SCHEDULE = path.resolve(compiledEntry('.'), '..', 'test', 'e2e', 'schedule-none.yaml');
/** Only the monitor job, every YTM_MONITOR_INTERVAL_SEC (test/e2e/schedule-monitor.yaml): for the alert tests. */
export const MONITOR_SCHEDULE = path.resolve(compiledEntry('.'), '..', 'test', 'e2e', 'schedule-monitor.yaml');

export const ALLOWED_USER = 'U0ALLOWED1';
export const OTHER_USER = 'U0STRANGER';
export const OPS_CHANNEL = 'C0OPS00001';
export const OTHER_CHANNEL = 'C0RANDOM01';

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export interface BotProcess {
  proc: ResultPromise<{ env: Record<string, string>; extendEnv: false; cwd: string; reject: false; stdin: 'ignore' }>;
  pid: number;
  lines: LogLine[];
  stderr: () => string;
  waitForLog: (pred: (l: LogLine) => boolean, timeoutMs?: number) => Promise<LogLine>;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop: (timeoutMs?: number) => Promise<number | undefined>;
  /** Wait for the process to exit on its own (SIGKILL after the timeout); returns the exit code. */
  exited: (timeoutMs?: number) => Promise<number | undefined>;
}

export function baseEnv(emu: SlackEmulator, ws: GeneratedWorkspace, stateDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ...ws.env,
    YTM_ENV_FILE: path.join(stateDir, 'no-such.env'),
    YTM_STATE_DIR: stateDir,
    SLACK_BOT_TOKEN: emu.botToken,
    SLACK_APP_TOKEN: emu.appToken,
    SLACK_API_URL: emu.apiUrl,
    YTM_SLACK_ALLOWED_USERS: ALLOWED_USER,
    YTM_SLACK_ALLOWED_CHANNELS: OPS_CHANNEL,
    // Reconnects take ~0.5 s instead of 15 s (the reconnect delay is clientPingTimeout × failures).
    YTM_SLACK_CLIENT_PING_TIMEOUT_MS: '500',
    YTM_LOG_LEVEL: 'info',
    // No scheduled jobs unless a test names its own manifest: scheduled children would take the job places
    // that tests count.
    YTM_SCHEDULE_MANIFEST: NO_SCHEDULE,
  };
}

/**
 * Start the compiled bot. `keepLines`: keep only about that many recent log lines (and 64 KiB of stderr) for a
 * bot that runs for hours (the sandbox); tests keep everything to count what happened.
 */
export function spawnBot(env: Record<string, string>, cwd: string, opts: { keepLines?: number } = {}): BotProcess {
  const proc = execa(process.execPath, [BOT_MAIN], { env, extendEnv: false, cwd, reject: false, stdin: 'ignore' });
  const lines: LogLine[] = [];
  let raw = '';
  let partial = '';
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (chunk: string) => {
    raw += chunk;
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p) as LogLine);
      } catch {
        lines.push({ level: 0, msg: p });
      }
    }
    const keep = opts.keepLines;
    if (keep !== undefined && lines.length > keep * 2) {
      lines.splice(0, lines.length - keep);
      raw = raw.slice(-65_536);
    }
  });
  const waitForLog = async (pred: (l: LogLine) => boolean, timeoutMs = 5000): Promise<LogLine> => {
    const started = Date.now();
    for (;;) {
      const hit = lines.find(pred);
      if (hit) return hit;
      if (Date.now() - started > timeoutMs) {
        throw new Error(`log line not seen within ${timeoutMs} ms; stderr so far:\n${raw.slice(-4000)}`);
      }
      if (proc.exitCode !== null) throw new Error(`bot exited (${proc.exitCode}); stderr:\n${raw.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const stop = async (timeoutMs = 15_000): Promise<number | undefined> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    const r = await proc;
    clearTimeout(timer);
    return r.exitCode;
  };
  const exited = async (timeoutMs = 15_000): Promise<number | undefined> => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    const r = await proc;
    clearTimeout(timer);
    return r.exitCode;
  };
  return { proc, pid: proc.pid as number, lines, stderr: () => raw, waitForLog, stop, exited };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export async function waitGone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const started = Date.now();
  while (isAlive(pid)) {
    if (Date.now() - started > timeoutMs) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

export interface Rig {
  emu: SlackEmulator;
  ws: GeneratedWorkspace;
  dir: string;
  stateDir: string;
  bot: BotProcess;
  env: Record<string, string>;
  close: () => Promise<void>;
}

/** Emulator + fixture workspace + a connected bot. */
export async function startRig(
  opts: {
    extraEnv?: Record<string, string>;
    emulator?: SlackEmulatorOptions;
    faults?: boolean;
    prepare?: (ws: GeneratedWorkspace) => Promise<void>;
  } = {},
): Promise<Rig> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ytm-e2e-'));
  const ws = await generateWorkspace({
    dir: path.join(dir, 'w'),
    faults: opts.faults ?? true,
    channels: 2,
    episodesPerChannel: 6,
  });
  await opts.prepare?.(ws);
  const emu = await SlackEmulator.start(opts.emulator ?? {});
  const stateDir = path.join(dir, 'state');
  const env = { ...baseEnv(emu, ws, stateDir), ...opts.extraEnv };
  const bot = spawnBot(env, dir);
  try {
    await emu.waitForConnection(1, 15_000);
    await bot.waitForLog((l) => l.msg === 'bot connected (Socket Mode)', 10_000);
  } catch (err) {
    await bot.stop();
    await emu.stop();
    throw err;
  }
  return {
    emu,
    ws,
    dir,
    stateDir,
    bot,
    env,
    close: async () => {
      await bot.stop();
      await emu.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every block's text, flattened (for "the report names X" assertions). */
export function blocksText(blocks: unknown): string {
  return JSON.stringify(blocks ?? []);
}

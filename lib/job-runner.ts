import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { isSecretEnvName } from './guard/env.js';

// Runs a job as a child process and streams its NDJSON events. The caller never waits on a child that may
// be stuck in uninterruptible sleep on a hung share: after a timeout or cancel it sends SIGTERM, then SIGKILL
// after a grace period, and then stops waiting (the outcome says so) instead of awaiting an exit that may
// never come.

export interface JobEvent {
  type: string;
  [key: string]: unknown;
}

export type JobStatus = 'exited' | 'timeout' | 'cancelled' | 'spawn_failed';

export interface JobOutcome {
  status: JobStatus;
  exitCode: number | null;
  signal: string | null;
  /** `data` of the last `{"type":"result"}` event, if the job sent one. */
  result: unknown;
  events: number;
  stderrTail: string;
  durationMs: number;
  /** True when the child had not exited when we stopped waiting (stuck in the kernel). */
  abandoned: boolean;
}

export interface RunningJob {
  pid: number | undefined;
  done: Promise<JobOutcome>;
  cancel(): void;
}

export interface StartJobOptions {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs: number;
  /** SIGTERM → SIGKILL (default CANCEL_GRACE_MS). */
  graceMs?: number;
  /** Scheduling priority increment for the child (0-19): a scanning job must not starve the caller's event loop. */
  nice?: number;
  onEvent?: (event: JobEvent) => void;
  /** On macOS, hold a `caffeinate -i -w <pid>` assertion while the child runs, so idle sleep cannot stop it. */
  keepAwake?: boolean;
  /** The platform keepAwake acts on (default process.platform; tests inject 'darwin'). */
  platform?: NodeJS.Platform;
}

const STDERR_TAIL_BYTES = 8192;

/**
 * SIGTERM → SIGKILL by default: a cancelled job aborts its copy and removes its temp file before it exits, which
 * over SMB means finishing the 1 MiB write in flight and unlinking a multi-GB file; killed sooner it leaves the
 * temp file behind.
 */
export const CANCEL_GRACE_MS = 10_000;
/** After SIGKILL, how long to wait for the exit before letting go of a child stuck in the kernel. */
const KILL_WAIT_MS = 2_000;

export function startJob(opts: StartJobOptions): RunningJob {
  const started = Date.now();
  const graceMs = opts.graceMs ?? CANCEL_GRACE_MS;
  const killWaitMs = Math.min(graceMs, KILL_WAIT_MS);
  const child = execa(opts.command, opts.args, {
    env: opts.env,
    extendEnv: false,
    cwd: opts.cwd,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    cleanup: true,
    windowsHide: true,
  });

  if (opts.keepAwake && child.pid) keepAwake(child.pid, opts.env, opts.platform ?? process.platform);

  if (opts.nice && child.pid) {
    try {
      setPriority(child.pid, opts.nice);
    } catch {
      // Not permitted here: the job still runs, at normal priority.
    }
  }

  let events = 0;
  let result: unknown = null;
  let stderrTail = '';
  let stopReason: 'timeout' | 'cancelled' | null = null;
  let settle: (o: JobOutcome) => void = () => {};
  const done = new Promise<JobOutcome>((resolve) => {
    settle = resolve;
  });
  let settled = false;
  const finish = (partial: Omit<JobOutcome, 'events' | 'result' | 'stderrTail' | 'durationMs'>) => {
    if (settled) return;
    settled = true;
    clearTimeout(timeoutTimer);
    clearTimeout(killTimer);
    clearTimeout(abandonTimer);
    settle({ ...partial, events, result, stderrTail, durationMs: Date.now() - started });
  };

  child.stdout?.setEncoding('utf8');
  if (child.stdout) {
    const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => {
      const event = parseEvent(line);
      events += 1;
      if (event.type === 'result') result = event.data ?? null;
      try {
        opts.onEvent?.(event);
      } catch {
        // A faulty listener must not break the job's bookkeeping.
      }
    });
  }
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
  });

  let killTimer: NodeJS.Timeout | undefined;
  let abandonTimer: NodeJS.Timeout | undefined;
  const stop = (reason: 'timeout' | 'cancelled') => {
    if (stopReason || settled) return;
    stopReason = reason;
    child.kill('SIGTERM');
    killTimer = setTimeout(() => {
      child.kill('SIGKILL');
      abandonTimer = setTimeout(() => {
        // Still no exit after SIGKILL: the process is blocked in the kernel. Let go of it.
        child.stdout?.destroy();
        child.stderr?.destroy();
        child.unref();
        finish({ status: reason, exitCode: null, signal: 'SIGKILL', abandoned: true });
      }, killWaitMs);
    }, graceMs);
  };
  const timeoutTimer = setTimeout(() => stop('timeout'), opts.timeoutMs);

  child.then(
    (r) => {
      if (r.failed && r.exitCode === undefined && !r.signal) {
        stderrTail = (stderrTail + (r.message ?? '')).slice(-STDERR_TAIL_BYTES);
        finish({ status: 'spawn_failed', exitCode: null, signal: null, abandoned: false });
        return;
      }
      finish({
        status: stopReason ?? 'exited',
        exitCode: r.exitCode ?? null,
        signal: r.signal ?? null,
        abandoned: false,
      });
    },
    (err: unknown) => {
      stderrTail = (stderrTail + String(err)).slice(-STDERR_TAIL_BYTES);
      finish({ status: 'spawn_failed', exitCode: null, signal: null, abandoned: false });
    },
  );

  return { pid: child.pid, done, cancel: () => stop('cancelled') };
}

/**
 * `caffeinate -i -w <pid>` (macOS): prevents idle sleep until `pid` exits, then exits by itself. Without it the
 * Mac sleeps in the middle of an hours-long apply. Best effort: a missing caffeinate leaves the job as it is.
 */
function keepAwake(pid: number, env: Record<string, string | undefined>, platform: NodeJS.Platform): void {
  if (platform !== 'darwin') return;
  try {
    const c = spawn('caffeinate', ['-i', '-w', String(pid)], { env, stdio: 'ignore' });
    c.on('error', () => {});
    c.unref();
  } catch {
    // no caffeinate: the job runs without the assertion
  }
}

function parseEvent(line: string): JobEvent {
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed && typeof parsed === 'object' && typeof (parsed as JobEvent).type === 'string')
      return parsed as JobEvent;
  } catch {
    // Not JSON: passed on as plain output.
  }
  return { type: 'output', line };
}

/**
 * The environment a job child gets: the parent's without Slack credentials or anything that looks like a
 * token or secret (the guard children's rule), so a job, or anything it runs, can never print or leak them.
 */
export function jobEnv(
  base: NodeJS.ProcessEnv = process.env,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v !== undefined && !isSecretEnvName(k) && !/PASSWORD|API_KEY|PRIVATE_KEY/i.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

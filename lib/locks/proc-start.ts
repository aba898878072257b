// Who is behind a pid: its start time (so a reused pid is not taken for the process that wrote a lease) and,
// on Linux, its scheduler state ('D' = blocked in the kernel, e.g. on a hung mount).
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { pidAlive } from './pid.js';

export interface ProcIdentity {
  /** Opaque but stable for the life of the process: Linux clock ticks since boot, macOS `ps -o lstart`. */
  startTime: string;
  /** One-letter state on Linux (R, S, D, Z, …); undefined where it is not read. */
  state?: string;
}

/**
 * `/proc/<pid>/stat`: `pid (comm) state ppid … starttime(22) …`. The command name may hold spaces and
 * parentheses, so fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcIdentity | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), so field 22 is rest[19].
  const state = rest[0];
  const startTime = rest[19];
  if (!state || !startTime || !/^\d+$/.test(startTime)) return null;
  return { startTime, state };
}

/** `ps -o lstart= -p <pid>` (with LC_ALL=C): `Wed Dec  2 07:22:56 2026`, or nothing when the pid is gone. */
export function parsePsLstart(text: string): ProcIdentity | null {
  const line = text.trim().replace(/\s+/g, ' ');
  return /^\w{3} \w{3} \d{1,2} \d{2}:\d{2}:\d{2} \d{4}$/.test(line) ? { startTime: line } : null;
}

function psLstart(pid: number): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'ps',
      ['-o', 'lstart=', '-p', String(pid)],
      { timeout: 5000, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout) => resolve(err ? '' : stdout),
    );
  });
}

async function taskStates(pid: number): Promise<string[]> {
  const tids = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const states = await Promise.all(
    tids.map(
      async (tid) => parseProcStat(await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => ''))?.state,
    ),
  );
  return states.filter((s): s is string => s !== undefined);
}

/**
 * The identity of a running process, or null when there is none. Linux reads /proc (microseconds); macOS asks `ps`
 * (a process, so callers do it off the hot path). Elsewhere only liveness is known (start time '?': a reused pid
 * is not detected there).
 *
 * A Node process blocked on a hung mount is blocked in a thread-pool thread, not its main thread: killed, its
 * main thread turns zombie while that thread stays in D. Such a process still counts as alive, with state 'D'.
 * With `threads`, the state is 'D' whenever any thread is (else the main thread's).
 */
export async function procIdentity(
  pid: number,
  opts: { threads?: boolean; platform?: NodeJS.Platform } = {},
): Promise<ProcIdentity | null> {
  const platform = opts.platform ?? process.platform;
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (platform === 'linux') {
    const id = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''));
    if (!id) return null;
    const dead = id.state === 'Z' || id.state === 'X';
    if (!dead && !opts.threads) return id;
    const states = await taskStates(pid);
    if (states.includes('D')) return { startTime: id.startTime, state: 'D' };
    if (dead) return states.some((s) => s !== 'Z' && s !== 'X') ? id : null;
    return id;
  }
  if (platform === 'darwin') return parsePsLstart(await psLstart(pid));
  return pidAlive(pid) ? { startTime: '?' } : null;
}

// Who is behind a pid: its start time (so a reused pid is not taken for the process that wrote a lease) and,
// on Linux, its scheduler state ('D' = blocked in the kernel, e.g. on a hung mount).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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

/**
 * The identity of a running process, or null when there is none (or it is a zombie: whatever it was doing is
 * over). Linux reads /proc (microseconds); macOS asks `ps` (a process, so callers do it off the hot path).
 * Elsewhere only liveness is known (start time '?': a reused pid is not detected there).
 */
export async function procIdentity(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<ProcIdentity | null> {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (platform === 'linux') {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const id = parseProcStat(text);
    return id && id.state !== 'Z' && id.state !== 'X' ? id : null;
  }
  if (platform === 'darwin') return parsePsLstart(await psLstart(pid));
  return pidAlive(pid) ? { startTime: '?' } : null;
}

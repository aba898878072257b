import { existsSync, readFileSync } from 'node:fs';
import { execa } from 'execa';

// Wall time and peak RSS of a command, measured the same way for ytm and the reference tool.

export interface Measurement {
  ms: number;
  peakRssKiB: number | null;
  exitCode: number | undefined;
}

/** Peak RSS from /usr/bin/time when present, else by polling /proc/<pid>/status VmHWM (monotonic). */
export async function measure(cmd: string, args: string[], env?: Record<string, string>): Promise<Measurement> {
  const gnuTime = existsSync('/usr/bin/time');
  const started = performance.now();
  const child = gnuTime
    ? execa('/usr/bin/time', ['-f', '__RSS__%M', cmd, ...args], {
        env,
        reject: false,
        stdout: 'ignore',
        stderr: 'pipe',
      })
    : execa(cmd, args, { env, reject: false, stdout: 'ignore', stderr: 'ignore' });
  let polled: number | null = null;
  const poll = gnuTime
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) polled = Math.max(polled ?? 0, Number(m[1]));
        } catch {
          // exited
        }
      }, 10);
  const r = await child;
  const ms = performance.now() - started;
  if (poll) clearInterval(poll);
  const fromTime = typeof r.stderr === 'string' ? /__RSS__(\d+)/.exec(r.stderr) : null;
  return { ms, peakRssKiB: fromTime ? Number(fromTime[1]) : polled, exitCode: r.exitCode };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}

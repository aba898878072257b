// Process ids for tests about "is the writer still alive".
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** The pid of a process that has exited (a child that ran `true` and was reaped). */
export async function deadPid(): Promise<number> {
  const child = spawn('true', { stdio: 'ignore' });
  const pid = child.pid;
  await new Promise((resolve) => child.once('exit', resolve));
  if (pid === undefined) throw new Error('could not start `true`');
  return pid;
}

/** State and parent of a process from /proc/<pid>/stat (Linux), or undefined when there is no such process. */
async function procStat(pid: number): Promise<{ state: string; ppid: number } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return state ? { state, ppid: Number(ppid) } : undefined;
}

/** True while `pid` runs (a zombie waiting to be reaped has ended). */
export async function isRunning(pid: number): Promise<boolean> {
  const s = await procStat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

/** Every running descendant of `pid` (Linux /proc): what a parent would leave behind if it exited now. */
export async function descendants(pid: number): Promise<number[]> {
  const parentOf = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = await procStat(Number(name));
    if (s && s.state !== 'Z' && s.state !== 'X') parentOf.set(Number(name), s.ppid);
  }
  const out: number[] = [];
  for (const [child] of parentOf) {
    for (let p = parentOf.get(child); p !== undefined; p = parentOf.get(p)) {
      if (p === pid) {
        out.push(child);
        break;
      }
    }
  }
  return out;
}

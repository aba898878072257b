// Which processes a fault test left behind (Linux /proc), e.g. guard children stuck on a hung mount.
import { readdir, readFile } from 'node:fs/promises';

/**
 * Processes left by this test (found by the marker variable in a thread's environment) that still have a live
 * thread, with state 'D' when one is blocked. Read per thread: a killed child blocked on the mount has a zombie main
 * thread (no environment left to read) and a thread-pool thread in D.
 */
export async function leftovers(marker: string): Promise<{ pid: number; state: string }[]> {
  const out: { pid: number; state: string }[] = [];
  for (const pid of (await readdir('/proc')).filter((n) => /^\d+$/.test(n))) {
    const states: string[] = [];
    let ours = false;
    for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
      try {
        const [environ, stat] = await Promise.all([
          readFile(`/proc/${pid}/task/${tid}/environ`, 'utf8'),
          readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8'),
        ]);
        if (environ.split('\0').includes(marker)) ours = true;
        states.push(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
      } catch {
        // gone meanwhile
      }
    }
    const live = states.filter((s) => s !== 'Z' && s !== 'X');
    if (ours && live.length > 0) out.push({ pid: Number(pid), state: live.includes('D') ? 'D' : (live[0] as string) });
  }
  return out;
}

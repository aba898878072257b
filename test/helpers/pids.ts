// Process ids for tests about "is the writer still alive".
import { spawn } from 'node:child_process';

/** The pid of a process that has exited (a child that ran `true` and was reaped). */
export async function deadPid(): Promise<number> {
  const child = spawn('true', { stdio: 'ignore' });
  const pid = child.pid;
  await new Promise((resolve) => child.once('exit', resolve));
  if (pid === undefined) throw new Error('could not start `true`');
  return pid;
}

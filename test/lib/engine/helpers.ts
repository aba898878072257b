// Test helpers: temp dirs and TypeScript child processes (real processes, so locks are tested across pids).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Plan } from '../../../lib/plan/types.js';

const here = fileURLToPath(new URL('.', import.meta.url));
export const repoRoot = resolve(here, '../../..');

export async function tempDir(prefix = 'ytm-engine-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface Child {
  proc: ChildProcessWithoutNullStreams;
  lines: Interface;
  /** Next stdout line. */
  next(): Promise<string>;
  send(line: string): void;
  exited: Promise<number | null>;
}

export function spawnChild(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(here, 'children', script), ...args], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const lines = createInterface({ input: proc.stdout });
  const queue: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  lines.on('line', (l) => {
    const w = waiters.shift();
    if (w) w(l);
    else queue.push(l);
  });
  const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  return {
    proc,
    lines,
    next: () =>
      new Promise<string>((res, rej) => {
        const q = queue.shift();
        if (q !== undefined) return res(q);
        waiters.push(res);
        exited.then((code) => rej(new Error(`child ${script} exited (${code}) before a line: ${stderr}`)));
      }),
    send: (line) => proc.stdin.write(`${line}\n`),
    exited,
  };
}

/** Run a child to completion; resolves with its exit code, stdout and stderr. */
export function runChild(
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(here, 'children', script), ...args], {
      cwd: repoRoot,
    });
    proc.stdin.end(); // no input: children that wait for stdin to close may finish
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => {
      stdout += String(d);
    });
    proc.stderr.on('data', (d) => {
      stderr += String(d);
    });
    proc.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

/** The pid of a process that has certainly exited. */
export async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', '']);
  const pid = p.pid as number;
  await new Promise((r) => p.on('exit', r));
  return pid;
}

export function samplePlan(over: Partial<Plan> = {}): Plan {
  return {
    job: 'store',
    input: { path: 'workspaces/audio/final/CH02/043/a.wav', symlinkBack: false },
    createdAt: '2026-01-26T10:50:00.000Z',
    host: 'mac-studio',
    preconditions: { share: { state: 'up', device: 42 }, source: { size: 1000, mtimeMs: 1700000000000 } },
    actions: [{ op: 'copy', from: 'a.wav', to: 'uploads/x/a.wav', bytes: 1000 }],
    warnings: [],
    refusals: [],
    summary: 'store 1 file (1000 B)',
    destructive: false,
    ...over,
  };
}

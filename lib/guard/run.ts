import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { procIdentity } from '../locks/proc-start.js';
import { nodeBin } from '../node-bin.js';
import { describeHolder, type HeldLease, type LeaseView, leaseDir, peekProbeLease } from '../share/probe-lease.js';
import { compiledEntry } from './entry.js';
import { guardChildEnv } from './env.js';
import { type GuardLease, type ShareTurn, takeShareTurn } from './lease.js';
import type { GuardChildOutput, GuardOp } from './ops.js';

export type GuardResult<T> =
  | { ok: true; value: T; ms: number }
  | { ok: false; reason: 'timeout' | 'error'; message: string; ms: number }
  /** Not run: an earlier child is stuck on the same share root (no new child was started on it). */
  | { ok: false; reason: 'stuck'; message: string; ms: number; holder: LeaseView };

export interface GuardOptions {
  timeoutMs: number;
  /** Base environment for the child before secrets are stripped (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /**
   * The op touches this share root: it runs only while it holds the root's probe lease (one child per root
   * across all processes; see lib/share/probe-lease.ts). Omit for ops on local paths only.
   */
  lease?: GuardLease;
}

/** `exists /a/b (+2 more)`: the op and where it works, for messages that must say what was cut. */
export function describeOp(op: GuardOp): string {
  switch (op.op) {
    case 'probe-share':
    case 'scan-abs-links':
    case 'find-temps':
      return `${op.op} ${op.root}`;
    case 'list-dir':
      return `${op.op} ${op.path}`;
    case 'exists':
    case 'read-text':
      return `${op.op} ${op.paths[0] ?? '(nothing)'}${op.paths.length > 1 ? ` (+${op.paths.length - 1} more)` : ''}`;
    case 'network-mounts':
      return op.op;
    case '_selftest':
      return `${op.op} ${op.mode}`;
  }
}

const MAX_OUTPUT = 256 * 1024 * 1024;

function tail(s: unknown, n = 500): string {
  const text = typeof s === 'string' ? s.trim() : '';
  return text.length > n ? `…${text.slice(-n)}` : text;
}

/** The last stdout line that is a `{ ok: boolean, … }` object. */
export function parseChildOutput(stdout: string): GuardChildOutput | null {
  const lines = stdout.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]?.trim();
    if (!line) continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean') {
        return v as GuardChildOutput;
      }
    } catch {
      // not our line
    }
    return null;
  }
  return null;
}

/**
 * Runs `op` in a child process (`node dist/lib/guard/child.js`, op JSON on stdin) and waits at most `timeoutMs`.
 * On timeout it answers 'timeout' at once, sends SIGKILL and does NOT wait for the child to exit (a child blocked on a
 * hung mount sits in state D and cannot die until the mount is released): its pipes are destroyed and it is unref'd
 * so this process can still exit. Never throws for a hung or crashing child.
 */
export async function runGuarded<T = unknown>(op: GuardOp, opts: GuardOptions): Promise<GuardResult<T>> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const deadline = Date.now() + Math.max(0, opts.timeoutMs);
  const what = describeOp(op);
  // While an earlier child is stuck on the root, answer before even starting one.
  const stuck = opts.lease ? await peekProbeLease(opts.lease.stateDir, opts.lease.root) : null;
  if (stuck?.status === 'stuck') {
    return {
      ok: false,
      reason: 'stuck',
      message: `guard op ${what} not started: a ${describeHolder(stuck)}`,
      ms: ms(),
      holder: stuck,
    };
  }
  let child: ChildProcess;
  try {
    child = (opts.env === undefined ? takeWarm() : undefined) ?? spawnGuardChild(opts.env ?? process.env);
  } catch (err) {
    return { ok: false, reason: 'error', message: `guard child could not start: ${(err as Error).message}`, ms: ms() };
  }
  let lease: HeldLease | undefined;
  let endTurn = () => {};
  if (opts.lease) {
    let turn: ShareTurn;
    try {
      turn = await takeShareTurn(opts.lease, op.op, { pid: child.pid, startTime: childStartTime(child) }, deadline);
    } catch (err) {
      discard(child);
      const where = leaseDir(opts.lease.stateDir);
      return {
        ok: false,
        reason: 'error',
        message: `guard op ${what} not started: no probe lease in ${where}: ${(err as Error).message}`,
        ms: ms(),
      };
    }
    if (!turn.ok) {
      // The child never saw the op, so it is not on the share and dies normally.
      discard(child);
      if (turn.holder) {
        return {
          ok: false,
          reason: 'stuck',
          message: `guard op ${what} not started: a ${describeHolder(turn.holder)}`,
          ms: ms(),
          holder: turn.holder,
        };
      }
      return { ok: false, reason: 'timeout', message: `guard op ${what} not started: ${turn.message}`, ms: ms() };
    }
    lease = turn.lease;
    endTurn = turn.end;
  }
  running.set(child, { what, ...(lease ? { lease } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    if (stdout.length < MAX_OUTPUT) stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4096);
  });
  child.stdin?.on('error', () => {});
  child.stdin?.end(JSON.stringify(op));

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
  });
  const finished = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });

  const winner = await Promise.race([finished, timedOut]);
  clearTimeout(timer);

  if (winner === 'timeout') {
    await abandon(child);
    endTurn();
    return {
      ok: false,
      reason: 'timeout',
      message: `guard op ${what} timed out after ${opts.timeoutMs}ms`,
      ms: ms(),
    };
  }
  live.delete(child);
  running.delete(child);
  await lease?.release().catch(() => {});
  endTurn();

  const out = parseChildOutput(stdout);
  if (out?.ok === true) return { ok: true, value: out.value as T, ms: ms() };
  if (out?.ok === false) return { ok: false, reason: 'error', message: `${what}: ${out.error}`, ms: ms() };
  const how = winner.signal ? `was killed by ${winner.signal}` : `exited with code ${winner.code ?? '?'}`;
  const err = tail(stderr);
  const extra = winner.error ? `: ${winner.error.message}` : '';
  return {
    ok: false,
    reason: 'error',
    message: `guard child for ${what} ${how} without a result${extra}${err ? `; stderr: ${err}` : ''}`,
    ms: ms(),
  };
}

// Children still running when this process exits are killed, so a probe stuck on a share is not left behind
// by a doctor that finished on its time budget.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

// Children that were handed an op and have not answered: what they do, and their lease when they hold one.
const running = new Map<ChildProcess, { what: string; lease?: HeldLease }>();

/** What the guarded children of this process are doing right now (`scan-abs-links /mnt/…`). */
export function runningGuardOps(): string[] {
  return [...running.values()].map((r) => r.what);
}

/**
 * Gives up on every guarded child still working (a caller out of time, like the doctor at its budget): each is
 * killed and forgotten, and its lease is marked stuck so other processes answer 'hung' instead of waiting.
 */
export async function abandonGuards(): Promise<void> {
  await Promise.all([...running.keys()].map((c) => abandon(c)));
}

// Each child's identity is read as soon as it starts, so taking a lease for it does not wait on it (on macOS
// that is a `ps` run, which then overlaps the child's own start-up).
const identities = new WeakMap<ChildProcess, Promise<string>>();

export function childStartTime(child: ChildProcess): Promise<string> {
  let id = identities.get(child);
  if (!id) {
    id = child.pid === undefined ? Promise.resolve('?') : procIdentity(child.pid).then((i) => i?.startTime ?? '?');
    identities.set(child, id);
  }
  return id;
}

function spawnGuardChild(env: NodeJS.ProcessEnv): ChildProcess {
  // node:child_process rather than execa here: the probe sits on the doctor's critical path and execa's
  // import alone costs more than the probe itself. Still an argument array, never a shell.
  const child = spawn(nodeBin(env), [compiledEntry('lib/guard/child.js')], {
    env: guardChildEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  live.add(child);
  void childStartTime(child);
  return child;
}

// Started children that wait for their op on stdin. Node's start-up (~100 ms) then overlaps the caller's own
// work instead of adding to every guarded step of the doctor's critical path.
const warm: ChildProcess[] = [];

/** Starts `n` guard children ahead of use (with the process environment); `releaseWarmGuards` ends unused ones. */
export function prewarmGuards(n: number): void {
  for (let i = 0; i < n; i++) {
    const child = spawnGuardChild(process.env);
    // A child that died while waiting is dropped from the pool before anyone can pick it.
    child.once('exit', () => {
      const at = warm.indexOf(child);
      if (at >= 0) warm.splice(at, 1);
    });
    child.on('error', () => {});
    warm.push(child);
  }
}

function takeWarm(): ChildProcess | undefined {
  return warm.shift();
}

export function releaseWarmGuards(): void {
  for (const child of warm.splice(0)) discard(child);
}

/** Kill and forget: never await the exit of a child that may be stuck in state D. Its lease stays, marked stuck. */
async function abandon(child: ChildProcess): Promise<void> {
  const lease = running.get(child)?.lease;
  running.delete(child);
  discard(child);
  await lease?.markStuck().catch(() => {});
}

function discard(child: ChildProcess): void {
  live.delete(child);
  child.kill('SIGKILL');
  for (const s of [child.stdin, child.stdout, child.stderr]) s?.destroy();
  child.unref();
}

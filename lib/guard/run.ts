import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { compiledEntry } from './entry.js';
import { guardChildEnv } from './env.js';
import type { GuardChildOutput, GuardOp } from './ops.js';

export type GuardResult<T> =
  | { ok: true; value: T; ms: number }
  | { ok: false; reason: 'timeout' | 'error'; message: string; ms: number };

export interface GuardOptions {
  timeoutMs: number;
  /** Base environment for the child before secrets are stripped (default `process.env`). */
  env?: NodeJS.ProcessEnv;
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
  let child: ReturnType<typeof execa> | undefined;
  try {
    child = execa(process.execPath, [compiledEntry('lib/guard/child.js')], {
      input: JSON.stringify(op),
      env: guardChildEnv(opts.env ?? process.env),
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      maxBuffer: MAX_OUTPUT,
      forceKillAfterDelay: false,
      cleanup: true,
      windowsHide: true,
    });
  } catch (err) {
    return { ok: false, reason: 'error', message: `guard child could not start: ${(err as Error).message}`, ms: ms() };
  }

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, opts.timeoutMs));
  });
  const finished = child.then(
    (r) => r,
    (err: unknown) => err as Awaited<NonNullable<typeof child>>,
  );

  const winner = await Promise.race([finished, timedOut]);
  clearTimeout(timer);

  if (winner === 'timeout') {
    abandon(child);
    return {
      ok: false,
      reason: 'timeout',
      message: `guard op '${op.op}' timed out after ${opts.timeoutMs}ms`,
      ms: ms(),
    };
  }

  const r = winner;
  const out = parseChildOutput(typeof r.stdout === 'string' ? r.stdout : '');
  if (out?.ok === true) return { ok: true, value: out.value as T, ms: ms() };
  if (out?.ok === false) return { ok: false, reason: 'error', message: out.error, ms: ms() };
  const how = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.exitCode ?? '?'}`;
  const stderr = tail(r.stderr);
  const extra = r.failed && !r.signal && r.exitCode === undefined ? `: ${r.shortMessage ?? r.message}` : '';
  return {
    ok: false,
    reason: 'error',
    message: `guard child ${how} without a result${extra}${stderr ? `; stderr: ${stderr}` : ''}`,
    ms: ms(),
  };
}

/** Kill and forget: never await the exit of a child that may be stuck in state D. */
function abandon(child: ReturnType<typeof execa>): void {
  try {
    child.kill('SIGKILL');
  } catch {
    // already gone
  }
  for (const s of [child.stdin, child.stdout, child.stderr]) {
    try {
      s?.destroy();
    } catch {
      // ignore
    }
  }
  try {
    child.unref();
  } catch {
    // ignore
  }
}

// Runs rsync as a child (argument array, under `nice` when YTM_MIRROR_NICE > 0), streams its itemized output
// into counts, keeps the tails the predecessor's report has, and optionally writes the full stdout/stderr to
// log files. Never throws for rsync's own failures: the exit code and signal are mapped to an outcome.
import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type RsyncOutcome, rsyncExit } from './exit.js';
import { countItem, emptyCounts, type Item, type ItemCounts, parseItemLine, parseStatsFiles } from './itemize.js';
import type { RsyncSettings } from './settings.js';

export interface RsyncRunOptions {
  signal?: AbortSignal;
  stdoutLog?: string;
  stderrLog?: string;
  /** The output carries %l sizes (--out-format); otherwise sizes are read from `srcRoot/<name>`. */
  withSizes?: boolean;
  srcRoot?: string;
  /** Characters of stdout/stderr kept (default 20000, as in the predecessor's report). */
  tailChars?: number;
  /** Called with the child's pid once it runs (the mirror's lease records it). */
  onSpawn?: (pid: number) => void;
}

export interface RsyncRun {
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  outcome: RsyncOutcome;
  message: string;
  counts: ItemCounts;
  /** Source entries rsync considered (--stats), when it printed them. */
  files: number | null;
  durationMs: number;
  stdoutTail: string;
  stderrTail: string;
  /** The child could not be started at all (ENOENT…). */
  spawnError?: string;
}

/** The command line: `nice -n N rsync …` or `rsync …`. */
export function rsyncCommand(s: RsyncSettings, args: readonly string[]): { file: string; args: string[] } {
  return s.nice > 0 ? { file: 'nice', args: ['-n', String(s.nice), s.bin, ...args] } : { file: s.bin, args: [...args] };
}

class Tail {
  private text = '';
  constructor(private readonly max: number) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.max * 2) this.text = this.text.slice(-this.max);
  }
  toString(): string {
    return this.text.slice(-this.max);
  }
}

function closeStream(s: WriteStream | undefined): Promise<void> {
  return new Promise((resolve) => (s ? s.end(() => resolve()) : resolve()));
}

async function sizeFromSource(srcRoot: string, name: string): Promise<number> {
  return (await lstat(path.join(srcRoot, name)).catch(() => null))?.size ?? 0;
}

export async function runRsync(
  s: RsyncSettings,
  args: readonly string[],
  opts: RsyncRunOptions = {},
): Promise<RsyncRun> {
  const started = performance.now();
  const cmd = rsyncCommand(s, args);
  const tailChars = opts.tailChars ?? 20_000;
  const outTail = new Tail(tailChars);
  const errTail = new Tail(tailChars);
  const outLog = opts.stdoutLog ? createWriteStream(opts.stdoutLog) : undefined;
  const errLog = opts.stderrLog ? createWriteStream(opts.stderrLog) : undefined;
  const counts = emptyCounts();
  const unsized: Item[] = [];
  let files: number | null = null;
  const withSizes = opts.withSizes !== false;

  const child = spawn(cmd.file, cmd.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);
  const onAbort = () => child.kill('SIGTERM');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    errTail.push(chunk);
    errLog?.write(chunk);
  });
  const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', (line) => {
    outTail.push(`${line}\n`);
    outLog?.write(`${line}\n`);
    const item = parseItemLine(line, withSizes);
    if (item) {
      countItem(counts, item);
      if (!withSizes && item.file && item.kind !== 'deleted') unsized.push(item);
      return;
    }
    files ??= parseStatsFiles(line);
  });
  const linesDone = new Promise<void>((resolve) => lines.once('close', resolve));

  const done = await new Promise<{ code: number | null; signal: string | null; error?: string }>((resolve) => {
    child.once('error', (err) => resolve({ code: null, signal: null, error: err.message }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  opts.signal?.removeEventListener('abort', onAbort);
  if (!done.error) await linesDone;
  await Promise.all([closeStream(outLog), closeStream(errLog)]);
  if (opts.srcRoot && unsized.length > 0) {
    for (const item of unsized) counts.bytes += await sizeFromSource(opts.srcRoot, item.name);
  }
  const mapped = done.error
    ? { outcome: 'failed' as const, message: `rsync could not be started (${cmd.file}): ${done.error}` }
    : rsyncExit(done.code, done.signal);
  return {
    argv: [cmd.file, ...cmd.args],
    exitCode: done.code,
    signal: done.signal,
    outcome: mapped.outcome,
    message: mapped.message,
    counts,
    files,
    durationMs: performance.now() - started,
    stdoutTail: outTail.toString(),
    stderrTail: errTail.toString(),
    ...(done.error ? { spawnError: done.error } : {}),
  };
}

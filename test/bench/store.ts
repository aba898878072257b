// Bench: `ytm store <1 GiB file> --run` into another directory, against `cp` followed by `sha256sum` of the
// source and the destination, in the same run (issue 4: ratio at most 1.2, peak RSS under 128 MiB).
// The store child's peak RSS is read from /proc/<pid>/status VmHWM (a high-water mark), polled while it runs.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { YTM_ENTRY } from '../jobs/support/run.js';
import { miniWorkspace } from '../jobs/support/workspace.js';

export interface StoreBenchFigures {
  bytes: number;
  runs: number;
  /** Best wall time of `ytm store … --run` (plan + hash + verified copy + re-read + manifest), ms. */
  storeMs: number;
  /** Best wall time of `cp` + `sha256sum src dst`, ms. */
  referenceMs: number;
  ratio: number;
  /** Highest VmHWM seen for the store child, bytes (null where /proc is not available). */
  storePeakRssBytes: number | null;
  storeMiBps: number;
}

function vmHwm(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function runStore(
  args: string[],
  env: Record<string, string>,
): Promise<{ ms: number; peak: number | null; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [YTM_ENTRY, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    let peak: number | null = null;
    const poll = setInterval(() => {
      const v = child.pid ? vmHwm(child.pid) : null;
      if (v !== null) peak = Math.max(peak ?? 0, v);
    }, 20);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ ms: performance.now() - started, peak, code, stderr });
    });
  });
}

export async function benchStore(opts: { bytes?: number; runs?: number } = {}): Promise<StoreBenchFigures> {
  const bytes = opts.bytes ?? 1024 * 1024 * 1024;
  const runs = opts.runs ?? 2;
  const w = miniWorkspace({ prefix: 'ytm-bench-store-' });
  try {
    const src = path.join(w.ws, 'misc', 'big.bin');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(src), { recursive: true });
    const fd = openSync(src, 'w');
    const chunk = randomBytes(8 * 1024 * 1024);
    for (let written = 0; written < bytes; written += chunk.length) {
      writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - written));
      chunk[0] = (chunk[0] ?? 0) ^ 0xff; // not one repeated block
    }
    closeSync(fd);
    const refDir = path.join(w.dir, 'ref');
    mkdirSync(refDir);
    const refDest = path.join(refDir, 'big.bin');
    const storeDest = path.join(w.base, 'misc', 'big.bin');

    let storeMs = Number.POSITIVE_INFINITY;
    let referenceMs = Number.POSITIVE_INFINITY;
    let peak: number | null = null;
    for (let i = 0; i < runs; i++) {
      rmSync(refDest, { force: true });
      const t0 = performance.now();
      await execa('cp', [src, refDest]);
      await execa('sha256sum', [src, refDest]);
      referenceMs = Math.min(referenceMs, performance.now() - t0);

      rmSync(storeDest, { force: true });
      const r = await runStore(['store', 'misc/big.bin', '--run', '--json'], w.env);
      if (r.code !== 0) throw new Error(`store failed (exit ${r.code}): ${r.stderr}`);
      storeMs = Math.min(storeMs, r.ms);
      if (r.peak !== null) peak = Math.max(peak ?? 0, r.peak);
    }
    return {
      bytes,
      runs,
      storeMs: Math.round(storeMs),
      referenceMs: Math.round(referenceMs),
      ratio: Math.round((storeMs / referenceMs) * 100) / 100,
      storePeakRssBytes: peak,
      storeMiBps: Math.round(bytes / 1024 / 1024 / (storeMs / 1000)),
    };
  } finally {
    rmSync(w.dir, { recursive: true, force: true });
  }
}

import { execa } from 'execa';
import { compiledEntry } from '../../lib/guard/entry.js';

export interface CliRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Runs the built `ytm` CLI (dist/jobs/cli.js) with exactly `env` (plus PATH/HOME), as a user would. */
export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliRun> {
  const started = Date.now();
  const r = await execa(process.execPath, [compiledEntry('jobs/cli.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', YTM_ENV_FILE: '/nonexistent/.env', ...env },
    extendEnv: false,
    reject: false,
    timeout: timeoutMs,
  });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, durationMs: Date.now() - started };
}

/** `finding.count` per code from a doctor JSON report. */
export function countsByCode(report: { findings: { code: string; count: number }[] }): Record<string, number> {
  return Object.fromEntries(report.findings.map((f) => [f.code, f.count]));
}

/** `expected` from the fixture without zero entries. */
export function nonZero(expected: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(expected).filter(([, v]) => v > 0));
}

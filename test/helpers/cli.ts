import { type YtmResult, ytm } from '../jobs/support/run.js';

/** Runs the built `ytm` CLI with exactly `env` plus PATH/HOME, and no .env file, as a user would. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<YtmResult> {
  return ytm(
    args,
    { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', YTM_ENV_FILE: '/nonexistent/.env', ...env },
    { timeoutMs },
  );
}

/** `finding.count` per code from a doctor JSON report. */
export function countsByCode(report: { findings: { code: string; count: number }[] }): Record<string, number> {
  return Object.fromEntries(report.findings.map((f) => [f.code, f.count]));
}

/** `expected` from the fixture without zero entries. */
export function nonZero(expected: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(expected).filter(([, v]) => v > 0));
}

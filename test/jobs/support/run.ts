// Run the real `ytm` entry (compiled) as a child process with an argument array and a clean environment.
import { execa } from 'execa';
import { compiledEntry } from '../../../lib/guard/entry.js';

/** The real `ytm` command, compiled (works from the sources and from dist/). */
export const YTM_ENTRY = compiledEntry('jobs/cli.js');

export interface YtmResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function ytm(
  args: string[],
  env: Record<string, string>,
  opts: { timeoutMs?: number; cwd?: string } = {},
): Promise<YtmResult> {
  const r = await execa(process.execPath, [YTM_ENTRY, ...args], {
    env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: opts.timeoutMs ?? 60_000,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** `--json` output parsed. */
export function json<T = Record<string, unknown>>(r: YtmResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.exitCode}): ${r.stdout}\n${r.stderr}`);
  }
}

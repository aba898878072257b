// Building a JobContext from the environment, for the terminal and for the bot's job children.
import { userInfo } from 'node:os';
import { type Config, type ConfigProblem, loadConfig } from '../../lib/config.js';
import { resolvePaths } from '../../lib/paths.js';
import { workspaceRootProblem } from '../../lib/workspace-root.js';
import type { JobContext, ProgressEvent } from './types.js';

/** `terminal:<os user>`: the actor for approvals given by running `--run` in a terminal. */
export function terminalActor(): string {
  let name = process.env.USER ?? process.env.LOGNAME ?? '';
  try {
    name = userInfo().username || name;
  } catch {
    // no passwd entry (containers): fall back to the environment
  }
  return `terminal:${name || 'unknown'}`;
}

export interface ContextOptions {
  actor?: string;
  progress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export function createContext(config: Config, opts: ContextOptions = {}): JobContext {
  return {
    config,
    paths: resolvePaths(config),
    now: opts.now ?? (() => new Date()),
    progress: opts.progress ?? (() => {}),
    signal: opts.signal ?? new AbortController().signal,
    actor: opts.actor ?? terminalActor(),
  };
}

export type LoadedContext = { ok: true; ctx: JobContext } | { ok: false; problems: ConfigProblem[] };

export function loadContext(opts: ContextOptions = {}, env: NodeJS.ProcessEnv = process.env): LoadedContext {
  const loaded = loadConfig(env);
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  const ctx = createContext(loaded.config, opts);
  const missing = workspaceRootProblem(loaded.config, ctx.paths);
  return missing ? { ok: false, problems: [missing] } : { ok: true, ctx };
}

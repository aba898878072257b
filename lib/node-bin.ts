// Which node binary starts job and guard children. Not `process.execPath`: under Homebrew that is the versioned
// Cellar path (/opt/homebrew/Cellar/node/23.1.0/bin/node) that `brew upgrade node` deletes, after which every
// job of a long-running bot would fail until a restart. A stable name (/opt/homebrew/bin/node, a symlink brew
// keeps current) survives upgrades.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** YTM_NODE_BIN when set, else the first `node` on PATH, else this process's own binary. */
export function nodeBin(env: NodeJS.ProcessEnv = process.env, execPath: string = process.execPath): string {
  const configured = env.YTM_NODE_BIN?.trim();
  if (configured) return configured;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, 'node');
    if (isExecutableFile(candidate)) return candidate;
  }
  return execPath;
}

/**
 * Puts YTM_NODE_BIN from the configuration (it may come from .env) into this process's environment, so every
 * child started later, and the children those start, use it too.
 */
export function exportNodeBin(configured: string | null, env: NodeJS.ProcessEnv = process.env): void {
  if (configured) env.YTM_NODE_BIN = configured;
}

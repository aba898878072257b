// A workspace root that is not there is a configuration problem, named by its variable. Checked before any job
// or the doctor writes anything: a report written into a missing root would create it, and the next run would
// then see an empty workspace ("0 episodes") with no hint of the typo.
import { statSync } from 'node:fs';
import type { Config, ConfigProblem } from './config.js';
import type { Paths } from './paths.js';

export function workspaceRootProblem(config: Config, paths: Paths): ConfigProblem | null {
  const name = config.YTM_WORKSPACE_ROOT ? 'YTM_WORKSPACE_ROOT' : 'YTM_REPO_ROOT';
  const where = config.YTM_WORKSPACE_ROOT ? paths.workspaceRoot : `${paths.workspaceRoot} (its workspaces folder)`;
  let isDir: boolean;
  try {
    isDir = statSync(paths.workspaceRoot).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      return { name, message: `${where} cannot be read (${code ?? String(err)}); nothing was created` };
    }
    return { name, message: `${where} does not exist; nothing was created. Point it at the factory workspace` };
  }
  return isDir ? null : { name, message: `${where} is not a folder; nothing was created` };
}

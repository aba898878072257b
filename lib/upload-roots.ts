// Upload roots must not overlap the workspace: a store into `uploads/<ns>` inside the workspace can hit the
// source itself (the copy "verifies" equal and `--move` deletes the only copy), and a flush could move files
// back into the tree they came from. Compared lexically and case-insensitively (the Mac's volumes are), from
// configuration alone: nothing here touches the share.
import path from 'node:path';
import type { Config, ConfigProblem } from './config.js';
import { isInside } from './fs/contain.js';
import { resolvePaths } from './paths.js';

const overlaps = (a: string, b: string) => {
  const [la, lb] = [a.toLowerCase(), b.toLowerCase()];
  return isInside(la, lb) || isInside(lb, la);
};

/** One problem per variable whose upload root lies inside the workspace root (or contains it). */
export function uploadRootProblems(c: Config): ConfigProblem[] {
  const paths = resolvePaths(c);
  const ws = paths.workspaceRoot;
  const problems: ConfigProblem[] = [];
  if (paths.sharedBase && overlaps(ws, paths.sharedBase)) {
    problems.push({
      name: 'YTM_SHARED_STORAGE_ROOT',
      message: `its uploads folder ${paths.sharedBase} overlaps the workspace ${ws}; point it at the share's mountpoint`,
    });
  }
  const fallback = c.YTM_SHARED_STORAGE_FALLBACK_ROOT;
  // The outbox root may contain the workspace (e.g. the home folder); its uploads folder may not overlap it.
  if (
    fallback &&
    (isInside(ws.toLowerCase(), fallback.toLowerCase()) ||
      overlaps(ws, path.join(fallback, 'uploads', paths.namespace)))
  ) {
    problems.push({
      name: 'YTM_SHARED_STORAGE_FALLBACK_ROOT',
      message: `the outbox ${fallback} overlaps the workspace ${ws}; use a local folder outside the workspace`,
    });
  }
  return problems;
}

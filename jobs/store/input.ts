// The store job's input: the grammar's words normalised into one JSON shape (this is what a plan stores and
// what `apply` re-plans from).
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isInside } from '../../lib/fs/contain.js';
import { STORE_KINDS } from './kinds.js';

export const StoreInputSchema = z.object({
  /** File form: the user's path (relative to the workspace root, or absolute inside it). Null = episode form. */
  path: z.string().min(1).nullable(),
  kind: z.enum(STORE_KINDS).nullable(),
  episode: z
    .string()
    .regex(/^CH\d{2}-\d{3}$/)
    .nullable(),
  mode: z.enum(['copy', 'symlink-back', 'move']),
  overwrite: z.boolean(),
  allowUnposted: z.boolean(),
  includeRemotion: z.boolean(),
  runId: z.string().nullable(),
});
export type StoreInput = z.infer<typeof StoreInputSchema>;

/** From `parseCommandLine(...).command.input` for `store`. */
export function storeInputFromArgs(a: Record<string, unknown>): StoreInput {
  const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : null);
  return {
    path: str('path'),
    kind: (str('kind') as StoreInput['kind']) ?? null,
    episode: str('episode'),
    mode: a['symlink-back'] === true ? 'symlink-back' : a.move === true ? 'move' : 'copy',
    overwrite: a.overwrite === true,
    allowUnposted: a['allow-unposted'] === true,
    includeRemotion: a['include-remotion'] === true,
    runId: str('run-id'),
  };
}

/**
 * A terminal user's relative path: relative to the current folder when that is inside the workspace (as any
 * shell tool reads it), otherwise to the workspace root. Returned relative to the workspace root, which is what a
 * plan stores. The current folder is a real path, so the root is compared by its real path too.
 */
export function pathFromCwd(userPath: string, workspaceRoot: string, cwd: string): string {
  if (path.isAbsolute(userPath)) return userPath;
  let realRoot: string;
  try {
    realRoot = realpathSync.native(workspaceRoot);
  } catch {
    return userPath; // a missing root is reported by name when the job loads its configuration
  }
  if (!isInside(realRoot, cwd) || path.resolve(cwd) === realRoot) return userPath;
  return path.relative(realRoot, path.resolve(cwd, userPath));
}

// The store job's input: the grammar's words normalised into one JSON shape (this is what a plan stores and
// what `apply` re-plans from).
import { z } from 'zod';
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

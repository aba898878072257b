import { stat } from 'node:fs/promises';
import type { ExistsState } from '../ops.js';

/** `stat` (following links) each path: a broken link is 'missing'. Order is kept. */
export async function existsOp(paths: readonly string[]): Promise<ExistsState[]> {
  return Promise.all(
    paths.map(async (p): Promise<ExistsState> => {
      try {
        await stat(p);
        return 'exists';
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'error';
      }
    }),
  );
}

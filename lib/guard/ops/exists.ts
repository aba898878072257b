import { stat } from 'node:fs/promises';
import { errCode, isMissingError } from '../../fs/errors.js';
import type { ExistsState } from '../ops.js';

/** `stat` (following links) each path: a broken link is 'missing'; EPERM/EIO… are `error:<code>`. Order is kept. */
export async function existsOp(paths: readonly string[]): Promise<ExistsState[]> {
  return Promise.all(
    paths.map(async (p): Promise<ExistsState> => {
      try {
        await stat(p);
        return 'exists';
      } catch (err) {
        return isMissingError(err) ? 'missing' : `error:${errCode(err) ?? 'unknown'}`;
      }
    }),
  );
}

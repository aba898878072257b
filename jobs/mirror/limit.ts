// The unattended delete limit: a count (YTM_MIRROR_MAX_DELETE) and a share of the vault's entries
// (YTM_MIRROR_MAX_DELETE_PCT), the stricter one wins. Deletions are counted as rsync counts them for
// --max-delete: files and folders.
import type { Config } from '../../lib/config.js';

export interface DeleteLimit {
  count: number;
  pct: number;
  /** Entries in the vault before the run (estimated from the dry run), null when unknown. */
  vaultEntries: number | null;
  /** The number of deletions allowed without approval. */
  allowed: number;
}

export function deleteLimit(
  config: Pick<Config, 'YTM_MIRROR_MAX_DELETE' | 'YTM_MIRROR_MAX_DELETE_PCT'>,
  vaultEntries: number | null,
): DeleteLimit {
  const count = config.YTM_MIRROR_MAX_DELETE;
  const pct = config.YTM_MIRROR_MAX_DELETE_PCT;
  const byShare = vaultEntries === null ? count : Math.floor((pct / 100) * vaultEntries);
  return { count, pct, vaultEntries, allowed: Math.min(count, byShare) };
}

/**
 * The vault's entries before the run, from the main pass's dry run: rsync's --stats counts the source's
 * entries; the vault has those minus what would be created plus what would be deleted.
 */
export function vaultEntriesFrom(sourceEntries: number | null, created: number, deleted: number): number | null {
  return sourceEntries === null ? null : Math.max(0, sourceEntries - created + deleted);
}

/**
 * rsync's --max-delete for an applied plan: what the plan showed (an approver saw and accepted that), at least
 * the unattended limit. More deletions than that appearing after the plan stop rsync with exit 25.
 */
export function maxDeleteFor(planned: number, limit: DeleteLimit): number {
  return Math.max(planned, limit.allowed);
}

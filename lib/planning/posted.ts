// "Posted" predicates on the planning CSV 進捗 (progress) value, facts §3.1 and §3.6.

/** The value `mark_episode_published_locked` writes. */
export const POSTED_VALUE = '投稿済み';

/**
 * The loose predicate used by publish_lock, hotset, both doctors and the UI: the trimmed value
 * contains 投稿済み or 公開済み, or its lowercase equals `published` / `posted`.
 */
export function isPostedProgress(value: string | null | undefined): boolean {
  if (typeof value !== 'string') return false;
  const v = value.trim();
  if (v.includes(POSTED_VALUE) || v.includes('公開済み')) return true;
  const lower = v.toLowerCase();
  return lower === 'published' || lower === 'posted';
}

/** The strict predicate of archive_published_episodes: the trimmed value equals 投稿済み. */
export function isPostedStrict(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.trim() === POSTED_VALUE;
}

export interface PublishedInput {
  progress?: string | null | undefined;
  status?: { metadata?: { published_lock?: unknown } | null | undefined } | null | undefined;
}

/**
 * `is_episode_published_locked`: the CSV row is posted (loose) OR status.json
 * `metadata.published_lock` is truthy. Truthiness follows the predecessor (Python `bool()`), so any
 * truthy value counts; the writers only ever store booleans.
 */
export function isEpisodePublished(input: PublishedInput): boolean {
  return isPostedProgress(input.progress) || Boolean(input.status?.metadata?.published_lock);
}

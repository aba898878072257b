import { describe, expect, it } from 'vitest';
import { isEpisodePublished, isPostedProgress, isPostedStrict } from '../../../lib/planning/posted.js';

describe('isPostedProgress (loose)', () => {
  it.each([
    '投稿済み',
    ' 投稿済み ',
    '投稿済み 2025-12-17',
    '公開済み',
    '（公開済み）',
    'published',
    ' Published ',
    'POSTED',
  ])('accepts %j', (v) => {
    expect(isPostedProgress(v)).toBe(true);
  });

  it.each([
    '',
    'topic_research: pending',
    'script_validated',
    'capcut_draft: completed / thumb: review',
    'pending: 0/0完了',
    'completed',
    'published soon',
    'unposted',
    '投稿',
  ])('rejects %j', (v) => {
    expect(isPostedProgress(v)).toBe(false);
  });

  it('rejects null / undefined', () => {
    expect(isPostedProgress(null)).toBe(false);
    expect(isPostedProgress(undefined)).toBe(false);
  });
});

describe('isPostedStrict', () => {
  it('only equals 投稿済み (trimmed)', () => {
    expect(isPostedStrict('投稿済み')).toBe(true);
    expect(isPostedStrict(' 投稿済み\n')).toBe(true);
    expect(isPostedStrict('公開済み')).toBe(false);
    expect(isPostedStrict('投稿済み 2025-12-17')).toBe(false);
    expect(isPostedStrict('published')).toBe(false);
    expect(isPostedStrict(null)).toBe(false);
  });
});

describe('isEpisodePublished', () => {
  it('is the loose predicate OR a truthy published_lock', () => {
    expect(isEpisodePublished({ progress: '公開済み' })).toBe(true);
    expect(isEpisodePublished({ progress: 'script_completed' })).toBe(false);
    expect(isEpisodePublished({ progress: 'script_completed', status: { metadata: { published_lock: true } } })).toBe(
      true,
    );
    expect(isEpisodePublished({ progress: '', status: { metadata: { published_lock: false } } })).toBe(false);
    expect(isEpisodePublished({ progress: null, status: { metadata: {} } })).toBe(false);
    expect(isEpisodePublished({ progress: undefined, status: { metadata: null } })).toBe(false);
    expect(isEpisodePublished({ status: null })).toBe(false);
    expect(isEpisodePublished({})).toBe(false);
  });
});

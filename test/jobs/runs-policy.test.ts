// The cleanup policy of lib/planning/runs.ts on its own: the predecessor's unscoped classes (facts §4.14) and
// the order in which a run's reason to stay is given.
import { describe, expect, it } from 'vitest';
import { type CleanupRun, decideEpisodeRuns, decideUnscopedRun, unscopedKind } from '../../lib/planning/runs.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const run = (runId: string, over: Partial<CleanupRun> = {}): CleanupRun => ({
  runId,
  hasDraftLink: false,
  draftInfoMtimeMs: 0,
  activityMtimeMs: NOW - 10 * 86_400_000,
  keepMarker: false,
  lockIds: [],
  ...over,
});

describe('unscoped run classes', () => {
  it.each([
    ['_tmp_x', 'definite'],
    ['tmp_1', 'definite'],
    ['failed_render', 'definite'],
    ['.tmp', 'definite'],
    ['debug_a', 'definite'],
    ['_remotion_try', 'definite'],
    ['CH04', 'definite'],
    ['192', 'legacy'],
    ['043_20251211_101010', 'legacy'],
    ['default', 'legacy'],
    ['ui_preview', 'legacy'],
    ['grouped_a', 'legacy'],
    ['api_123', 'legacy'],
    ['jinsei_01', 'legacy'],
    ['CH02_20251211_000000_x', 'legacy'],
    ['CH04-', 'legacy'],
    ['mystery_run', null],
    ['1920', null],
  ])('%s → %s', (id, kind) => {
    expect(unscopedKind(id)).toBe(kind);
  });

  it('an unscoped run stays for .keep, then recent, then a lock, then an unknown name', () => {
    expect(decideUnscopedRun(run('api_1', { keepMarker: true, lockIds: ['l'] }), NOW).reason).toBe('keep_marker');
    expect(decideUnscopedRun(run('api_1', { activityMtimeMs: NOW - 60_000, lockIds: ['l'] }), NOW).reason).toBe(
      'recent',
    );
    expect(decideUnscopedRun(run('api_1', { lockIds: ['l'] }), NOW).reason).toBe('locked');
    expect(decideUnscopedRun(run('zzz'), NOW)).toEqual({ runId: 'zzz', archive: false, reason: 'unscoped_unknown' });
    expect(decideUnscopedRun(run('api_1'), NOW)).toEqual({ runId: 'api_1', archive: true, reason: 'unscoped_legacy' });
  });
});

describe('one episode: the first reason to stay wins', () => {
  it('selected before .keep before newest 2 before recent before locked', () => {
    const runs = [
      run('a', { hasDraftLink: true, keepMarker: true }),
      run('b', { hasDraftLink: true, lockIds: ['l'] }),
      run('c', { keepMarker: true }),
      run('d', { activityMtimeMs: NOW - 359 * 60_000, lockIds: ['l'] }),
      run('e', { activityMtimeMs: NOW - 361 * 60_000, lockIds: ['l'] }),
      run('f'),
    ];
    expect(decideEpisodeRuns(runs, 'a', NOW).map((d) => `${d.runId}:${d.reason}`)).toEqual([
      'a:selected',
      'b:keep_last',
      'c:keep_marker',
      'd:recent',
      'e:locked',
      'f:episode_unselected',
    ]);
  });

  it('the newest two follow the cleanup order: working link, draft info, activity, run id', () => {
    const runs = [
      run('x1', { draftInfoMtimeMs: 5 }),
      run('x2', { draftInfoMtimeMs: 9 }),
      run('x3', { hasDraftLink: true }),
    ];
    const keep = decideEpisodeRuns(runs, null, NOW)
      .filter((d) => !d.archive)
      .map((d) => d.runId);
    expect(keep.sort()).toEqual(['x2', 'x3']);
  });
});

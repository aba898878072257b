import { describe, expect, it } from 'vitest';
import { compareRuns, groupRunsByEpisode, type RunCandidate, selectRun } from '../../../lib/planning/runs.js';

const run = (runId: string, mtimeMs: number, hasDraftInfo: boolean): RunCandidate => ({ runId, mtimeMs, hasDraftInfo });

describe('selectRun', () => {
  const old = run('CH02-043_capcut_v1', 1_000, true);
  const newerNoInfo = run('CH02-043_regen_20260126_145633', 9_000, false);
  const newer = run('CH02-043_regen_20260120_000000', 5_000, true);

  it('prefers status.json video_run_id when it is among the runs', () => {
    expect(selectRun([newer, old, newerNoInfo], 'CH02-043_capcut_v1')).toEqual({
      run: old,
      via: 'video_run_id',
      videoRunIdMissing: false,
    });
    // Even one without capcut_draft_info.json.
    expect(selectRun([newer, old, newerNoInfo], newerNoInfo.runId).run).toBe(newerNoInfo);
  });

  it('falls back to the ranking when video_run_id is absent or names a run that is gone', () => {
    expect(selectRun([old, newerNoInfo, newer])).toEqual({ run: newer, via: 'ranking', videoRunIdMissing: false });
    expect(selectRun([old, newerNoInfo, newer], '  ')).toMatchObject({ run: newer, videoRunIdMissing: false });
    expect(selectRun([old, newerNoInfo, newer], 'CH02-043_archived')).toEqual({
      run: newer,
      via: 'ranking',
      videoRunIdMissing: true,
    });
  });

  it('ranks by hasDraftInfo, then mtime, then runId (highest first)', () => {
    const a = run('CH01-001_a', 5, false);
    const b = run('CH01-001_b', 5, false);
    const c = run('CH01-001_c', 4, false);
    expect(selectRun([a, c, b]).run).toBe(b);
    expect(selectRun([c, a]).run).toBe(a);
    expect(selectRun([c, run('CH01-001_z', 1, true)]).run?.runId).toBe('CH01-001_z');
    // Code-unit order like Python: uppercase sorts before lowercase.
    expect(selectRun([run('CH01-001_a', 5, true), run('CH01-001_B', 5, true)]).run?.runId).toBe('CH01-001_a');
    expect([a, b, c, run('x', 0, true)].sort(compareRuns).map((r) => r.runId)).toEqual([
      'x',
      'CH01-001_b',
      'CH01-001_a',
      'CH01-001_c',
    ]);
  });

  it('returns nothing for no candidates, and flags the named run as missing', () => {
    expect(selectRun([])).toEqual({ run: null, via: null, videoRunIdMissing: false });
    expect(selectRun([], 'CH02-043_capcut_v1')).toEqual({ run: null, via: null, videoRunIdMissing: true });
  });

  it('does not reorder the caller array', () => {
    const list = [old, newer];
    selectRun(list);
    expect(list).toEqual([old, newer]);
  });
});

describe('groupRunsByEpisode', () => {
  it('groups real-looking run names, skips _/. names, and lists the unscoped', () => {
    const groups = groupRunsByEpisode([
      'CH02-043_regen_20260126_145633',
      'CH06-004_capcut_v1',
      'CH02-043_capcut_v1',
      'CH04-016_capcut_unpub_noimg_20260106_v1',
      'CH02_20251211_143000',
      'CH04-',
      '192',
      'api_probe',
      'jinsei_tmp',
      'ui_preview',
      'grouped_x',
      'default',
      '_archive',
      '.DS_Store',
      '_CH02-044_old',
      '.CH02-045',
    ]);
    expect(Object.fromEntries(groups.byEpisode)).toEqual({
      'CH02-043': ['CH02-043_regen_20260126_145633', 'CH02-043_capcut_v1'],
      'CH06-004': ['CH06-004_capcut_v1'],
      'CH04-016': ['CH04-016_capcut_unpub_noimg_20260106_v1'],
    });
    expect(groups.unscoped).toEqual([
      'CH02_20251211_143000',
      'CH04-',
      '192',
      'api_probe',
      'jinsei_tmp',
      'ui_preview',
      'grouped_x',
      'default',
    ]);
    expect(groups.byEpisode.has('CH02-202')).toBe(false);
  });
});

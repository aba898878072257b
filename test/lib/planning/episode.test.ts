import { describe, expect, it } from 'vitest';
import {
  episodeFromDraftName,
  episodeFromRunName,
  formatEpisodeId,
  normalizeChannel,
  normalizeEpisodeId,
  normalizeVideo,
  splitEpisodeId,
} from '../../../lib/planning/episode.js';

describe('normalizeChannel', () => {
  it.each([
    ['CH1', 'CH01'],
    ['ch01', 'CH01'],
    ['CH001', 'CH01'],
    [' Ch22 ', 'CH22'],
    ['CH32', 'CH32'],
    ['CH100', 'CH100'],
  ])('%s → %s', (input, want) => {
    expect(normalizeChannel(input)).toBe(want);
  });

  it.each(['', 'CH', 'CH0', 'CH00', '01', 'C01', 'CH-1', 'CH1a', 'CH 1', 'CH0001', 'XCH01'])('rejects %j', (input) => {
    expect(normalizeChannel(input)).toBeNull();
  });

  it('rejects non-strings', () => {
    expect(normalizeChannel(null)).toBeNull();
    expect(normalizeChannel(undefined)).toBeNull();
  });
});

describe('normalizeVideo', () => {
  it.each([
    ['1', '001'],
    ['001', '001'],
    ['0001', '001'],
    ['43', '043'],
    [' 253 ', '253'],
    ['999', '999'],
    ['12.0', '012'],
  ])('%s → %s', (input, want) => {
    expect(normalizeVideo(input)).toBe(want);
  });

  it('accepts integer numbers', () => {
    expect(normalizeVideo(7)).toBe('007');
    expect(normalizeVideo(7.5)).toBeNull();
  });

  // The predecessor kept only the digits, so CH02-043 became 2043: the whole value must be a number.
  it.each(['', '0', '000', '1000', 'CH02-043', '12a', '1.5', '-1', 'No.1'])('rejects %j', (input) => {
    expect(normalizeVideo(input)).toBeNull();
  });
});

describe('normalizeEpisodeId / formatEpisodeId / splitEpisodeId', () => {
  it.each([
    ['CH1-1', 'CH01-001'],
    ['ch01-001', 'CH01-001'],
    ['CH02-043', 'CH02-043'],
    ['CH22-60', 'CH22-060'],
  ])('%s → %s', (input, want) => {
    expect(normalizeEpisodeId(input)).toBe(want);
  });

  it.each(['CH02', 'CH02-', '-043', 'CH02_043x', 'CH02 043', 'CH02-043-1', 'CH02-0', 'CH00-001', 'CH02-1000', ''])(
    'rejects %j',
    (input) => {
      expect(normalizeEpisodeId(input)).toBeNull();
    },
  );

  it('formats and splits', () => {
    expect(formatEpisodeId('ch4', '31')).toBe('CH04-031');
    expect(formatEpisodeId('CH4', 'x')).toBeNull();
    expect(splitEpisodeId('ch4-31')).toEqual({ channel: 'CH04', video: '031' });
    expect(splitEpisodeId('nope')).toBeNull();
  });
});

describe('episodeFromRunName', () => {
  it.each([
    ['CH02-043_regen_20260126_145633', 'CH02-043'],
    ['CH06-004_capcut_v1', 'CH06-004'],
    ['CH04-016_capcut_unpub_noimg_20260106_v1', 'CH04-016'],
    ['CH22-001_capcut_v1', 'CH22-001'],
    ['CH06_004_capcut', 'CH06-004'],
    ['ch13-002', 'CH13-002'],
    ['CH01-252', 'CH01-252'],
    ['CH01-252-x', 'CH01-252'],
    ['CH01-252v2', 'CH01-252'],
  ])('%s → %s', (input, want) => {
    expect(episodeFromRunName(input)).toBe(want);
  });

  // Facts §7 row 29: `(CH\d{2})[-_]?(\d{3})` read these as episodes.
  it.each([
    'CH02_20251211_143000',
    'CH02_20251211_regen',
    'CH02-2025',
    'CH02043',
    'CH04-',
    '192',
    'api_test',
    'jinsei_01',
    'ui_preview',
    'grouped_20260101',
    'default',
    'CH002-043',
    'xCH02-043',
  ])('returns null for %j', (input) => {
    expect(episodeFromRunName(input)).toBeNull();
  });

  it('keeps looking past a date-like match', () => {
    expect(episodeFromRunName('CH02_20251211_CH02-043')).toBe('CH02-043');
  });
});

describe('episodeFromDraftName', () => {
  it.each([
    ['★CH02-043-【視線の逃避】スマホから目を上げられない理由(2)', 'CH02-043'],
    ['★CH06-004-【…】…', 'CH06-004'],
    ['CH04-018_capcut_unpub_20260106_v1_draft', 'CH04-018'],
    ['★CH12-016-…__v3', 'CH12-016'],
    ['完成★CH02-014-タイトル', 'CH02-014'],
    ['★ch01-252-友達（5タ', 'CH01-252'],
  ])('%s → %s', (input, want) => {
    expect(episodeFromDraftName(input)).toBe(want);
  });

  it.each(['CH04-UNK_テンプレ_アカシック', 'CH02-テンプレ', '.cloud_cache_1768900000', 'CH02_20251211_x', 'CH02-2025'])(
    'returns null for %j',
    (input) => {
      expect(episodeFromDraftName(input)).toBeNull();
    },
  );
});

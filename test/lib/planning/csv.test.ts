import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelFromCsvPath, detectFamily, parsePlanningCsv, readPlanningCsv } from '../../../lib/planning/csv.js';
import { isPostedProgress, isPostedStrict } from '../../../lib/planning/posted.js';
import { SAMPLES_DIR, samplePath, samplesPresent } from './samples.js';

const csvPath = (ch: string) => samplePath(`planning/channels/${ch}.csv`);

describe('real planning samples', () => {
  it('finds the samples next to the repository', () => {
    expect(SAMPLES_DIR.endsWith('/shared/samples/')).toBe(true);
    expect(samplesPresent).toBe(true);
  });

  // Facts §3.1: posted counts per channel at HEAD.
  it.each([
    ['CH01', 'ch01', 253, 251],
    ['CH02', 'ch02', 112, 42],
    ['CH13', 'ch02', 30, 1],
    ['CH22', 'ch02', 60, 22],
  ] as const)('%s: family %s, %i rows, %i posted', async (ch, family, total, posted) => {
    const csv = await readPlanningCsv(csvPath(ch));
    expect(csv.errors).toEqual([]);
    expect(csv.channel).toBe(ch);
    expect(csv.family).toBe(family);
    expect(csv.rows).toHaveLength(total);
    expect(csv.rows.filter((r) => isPostedProgress(r.progress))).toHaveLength(posted);
    // Every row resolves to a distinct CHxx-NNN of this channel, 001..total.
    const ids = csv.rows.map((r) => r.episodeId);
    expect(new Set(ids).size).toBe(total);
    expect(ids[0]).toBe(`${ch}-001`);
    expect(ids.at(-1)).toBe(`${ch}-${String(total).padStart(3, '0')}`);
  });

  it('strips the BOM from the first header and from the raw keys', async () => {
    const text = readFileSync(csvPath('CH02'), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const csv = parsePlanningCsv(text, 'CH02');
    expect(csv.header[0]).toBe('No.');
    expect(Object.keys(csv.rows[0]?.raw ?? {})).toContain('No.');
    expect(Object.keys(csv.rows[0]?.raw ?? {}).some((k) => k.includes('\ufeff'))).toBe(false);
    // Without BOM stripping `No.` would be `\ufeffNo.` and the family would not be detected.
    expect(csv.family).toBe('ch02');
  });

  it('parses CH22 multi-line cells: 60 rows over 556 lines, with start lines', async () => {
    const text = readFileSync(csvPath('CH22'), 'utf8');
    expect(text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '')).toHaveLength(556);
    const csv = parsePlanningCsv(text);
    expect(csv.rows).toHaveLength(60);
    expect(csv.channel).toBe('CH22'); // from the チャンネル column, no hint given
    // Rows 1, 2 and 60 start on lines 2, 11 and 548 (checked against Python's csv.reader).
    expect(csv.rows[0]?.line).toBe(2);
    expect(csv.rows[1]?.line).toBe(11);
    expect(csv.rows[59]?.line).toBe(548);
    expect(csv.rows.some((r) => Object.values(r.raw).some((v) => v.includes('\n')))).toBe(true);
  });

  it('resolves unpadded (CH02 `1`) and padded (CH22 `001`) 動画番号 alike', async () => {
    const ch02 = await readPlanningCsv(csvPath('CH02'));
    const ch22 = await readPlanningCsv(csvPath('CH22'));
    expect(ch02.rows[0]?.raw.動画番号).toBe('1');
    expect(ch22.rows[0]?.raw.動画番号).toBe('001');
    expect(ch02.rows[0]?.video).toBe('001');
    expect(ch22.rows[0]?.video).toBe('001');
  });

  it('CH01 family: progress and title come from 進捗 / タイトル; the 2 unposted rows are pending', async () => {
    const csv = await readPlanningCsv(csvPath('CH01'));
    expect(csv.header.slice(0, 6)).toEqual(['No.', 'チャンネル', '動画番号', '動画ID', 'YouTubeID', 'タイトル']);
    const unposted = csv.rows.filter((r) => !isPostedProgress(r.progress));
    expect(unposted.map((r) => r.progress)).toEqual(['pending: 0/0完了', 'pending: 0/0完了']);
    expect(csv.rows.every((r) => r.title.length > 0)).toBe(true);
    // Strict and loose agree on these samples (only 投稿済み is used).
    expect(csv.rows.filter((r) => isPostedStrict(r.progress))).toHaveLength(251);
  });
});

const HEADER = 'No.,チャンネル,動画番号,動画ID,台本番号,タイトル,進捗';

describe('parsePlanningCsv on constructed input', () => {
  it('reports malformed rows with their line and keeps the others', () => {
    const text = [
      `\ufeff${HEADER}`,
      '1,CH02,1,CH02-001,CH02-001,one,投稿済み', // 2
      '2,CH02,2,CH02-002,CH02-002,"two ""quoted""\nsecond line",script_completed', // 3-4
      '3,CH02,3,CH02-003,CH02-003,"bad"x,投稿済み', // 5: junk after a closing quote
      '4,CH02,4,CH02-004,CH02-004,four,a,b,c', // 6: too many cells
      ',CH02,,,,no number,', // 7: video unresolvable
      '', // 8: blank
      '6,CH02,6,CH02-006,CH02-006,six', // 9: short row is kept
      '7,CH02,7,CH02-007,CH02-007,"never closed,投稿済み', // 10: unclosed quote
      '8,CH02,8,CH02-008,CH02-008,eight,公開済み', // 11
      '',
    ].join('\n');
    const csv = parsePlanningCsv(text, 'CH02');
    expect(csv.rows.map((r) => [r.line, r.episodeId, r.progress])).toEqual([
      [2, 'CH02-001', '投稿済み'],
      [3, 'CH02-002', 'script_completed'],
      [9, 'CH02-006', ''],
      [11, 'CH02-008', '公開済み'],
    ]);
    expect(csv.rows[1]?.title).toBe('two "quoted"\nsecond line');
    expect(csv.errors.map((e) => e.line)).toEqual([5, 6, 7, 10]);
    expect(csv.errors[0]?.message).toMatch(/CSV syntax error/);
    expect(csv.errors[1]?.message).toMatch(/9 cells but the header has 7/);
    expect(csv.errors[2]?.message).toMatch(/cannot resolve the video/);
  });

  it('falls back through No., English keys and CHxx-NNN inside 動画ID / script_id', () => {
    const byNo = parsePlanningCsv('No.,進捗\n5,投稿済み\n', 'CH05');
    expect(byNo.rows[0]?.episodeId).toBe('CH05-005');
    const english = parsePlanningCsv('video_number,progress,title\n0007,posted,T\n', 'CH03');
    expect(english.rows[0]).toMatchObject({ episodeId: 'CH03-007', progress: 'posted', title: 'T' });
    const byId = parsePlanningCsv('動画番号,動画ID,進捗\n,ch04-031,x\n');
    expect(byId.rows[0]).toMatchObject({ channel: 'CH04', video: '031', episodeId: 'CH04-031' });
    const byScript = parsePlanningCsv('script_id\nCH04_031 CH04-032\n', 'CH04');
    expect(byScript.rows[0]?.video).toBe('032');
    // A CHxx-NNN inside 動画番号 must not become video 2043 (the old digits-only rule).
    const trap = parsePlanningCsv('動画番号,動画ID\nCH02-043,\n', 'CH02');
    expect(trap.rows).toEqual([]);
    expect(trap.errors).toHaveLength(1);
  });

  it('uses the file channel over a disagreeing チャンネル cell and reports it', () => {
    const csv = parsePlanningCsv(`${HEADER}\n1,CH03,1,,,t,\n`, 'CH02');
    expect(csv.rows[0]?.episodeId).toBe('CH02-001');
    expect(csv.errors).toEqual([{ line: 2, message: 'row names channel CH03 in a CH02 file' }]);
  });

  it('reports duplicate videos but keeps both rows', () => {
    const csv = parsePlanningCsv(`${HEADER}\n1,CH02,1,,,a,\n2,CH02,001,,,b,\n`, 'CH02');
    expect(csv.rows).toHaveLength(2);
    expect(csv.errors).toEqual([{ line: 3, message: 'duplicate video CH02-001 (first at line 2)' }]);
  });

  it('strips a BOM in front of a quoted first header (trim alone would not get there)', () => {
    const csv = parsePlanningCsv('\ufeff"No.","進捗"\n1,投稿済み\n', 'CH02');
    expect(csv.errors).toEqual([]);
    expect(csv.header).toEqual(['No.', '進捗']);
    expect(csv.rows[0]?.episodeId).toBe('CH02-001');
  });

  it('handles CRLF line endings', () => {
    const csv = parsePlanningCsv(`${HEADER}\r\n1,CH02,1,,,"a\r\nb",投稿済み\r\n2,CH02,2,,,c,\r\n`, 'CH02');
    expect(csv.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(csv.rows[0]?.title).toBe('a\nb');
  });

  it('returns no rows and an error for unparseable or empty files', () => {
    for (const text of ['', '\ufeff', '\n\n', '"No.,チャンネル\n1,CH02\n']) {
      const csv = parsePlanningCsv(text, 'CH02');
      expect(csv.rows).toEqual([]);
      expect(csv.errors).toHaveLength(1);
      expect(csv.channel).toBe('CH02');
    }
  });

  it('detects header families', () => {
    expect(detectFamily(['No.', 'チャンネル', '動画番号', '動画ID', 'YouTubeID', 'タイトル', '台本'])).toBe('ch01');
    expect(detectFamily(HEADER.split(','))).toBe('ch02');
    expect(detectFamily(['\ufeffNo.', 'チャンネル', '動画番号', '動画ID', '台本番号', 'タイトル', '進捗'])).toBe(
      'unknown',
    );
    expect(detectFamily(['video', 'progress'])).toBe('unknown');
  });
});

describe('readPlanningCsv', () => {
  it('takes the channel from the file name and never throws on a missing file', async () => {
    expect(channelFromCsvPath('/x/planning/channels/CH7.csv')).toBe('CH07');
    expect(channelFromCsvPath('/x/notes.csv')).toBeNull();
    const missing = await readPlanningCsv('/nonexistent/CH09.csv');
    expect(missing.channel).toBe('CH09');
    expect(missing.rows).toEqual([]);
    expect(missing.errors[0]?.message).toMatch(/ENOENT/);
  });

  it('reads a file written to disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ytm-planning-'));
    const path = join(dir, 'ch5.csv');
    await writeFile(path, `\ufeff${HEADER}\n1,CH05,1,,,t,投稿済み\n`);
    const csv = await readPlanningCsv(path);
    expect(csv.channel).toBe('CH05');
    expect(csv.rows[0]?.episodeId).toBe('CH05-001');
  });
});

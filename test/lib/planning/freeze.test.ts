import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FREEZE_SCHEMA, parseFreezeList, readFreezeList } from '../../../lib/planning/freeze.js';

const example = {
  schema: 'ytm.hotset_freeze.v1',
  updated_at: '2026-01-26T03:00:00Z',
  items: [
    {
      channel: 'CH04',
      video: '031',
      reason: 'on hold (planning paused)',
      created_at: '2026-01-26T03:00:00Z',
      created_by: 'dd',
    },
  ],
};

describe('parseFreezeList', () => {
  it('reads the documented example (text or parsed value)', () => {
    for (const input of [JSON.stringify(example), example]) {
      const list = parseFreezeList(input);
      expect(list.errors).toEqual([]);
      expect(list.items).toEqual([
        {
          channel: 'CH04',
          video: '031',
          reason: 'on hold (planning paused)',
          created_at: '2026-01-26T03:00:00Z',
          created_by: 'dd',
        },
      ]);
      expect(list.has('CH04', '031')).toBe(true);
      expect(list.has('ch4', '31')).toBe(true);
      expect(list.has('CH04', 31)).toBe(true);
      expect(list.has('CH04', '032')).toBe(false);
      expect(list.has('CH05', '031')).toBe(false);
      expect(list.has('garbage', '031')).toBe(false);
    }
  });

  it('normalises entries, keeps reason-less ones, reports bad and duplicate ones, sorts', () => {
    const list = parseFreezeList({
      schema: FREEZE_SCHEMA,
      items: [
        { channel: 'ch13', video: 2, reason: 'x' },
        { channel: 'CH4', video: '0031' },
        { channel: 'CH04', video: '31', reason: 'again' },
        { channel: 'nope', video: '1', reason: 'x' },
        { channel: 'CH01', video: 'CH01-001', reason: 'x' },
        'not an object',
        { video: '5' },
      ],
    });
    expect(list.items.map((i) => [i.channel, i.video, i.reason])).toEqual([
      ['CH04', '031', null],
      ['CH13', '002', 'x'],
    ]);
    expect(list.errors).toEqual([
      'items[2]: duplicate CH04-031',
      'items[3]: not a valid {channel, video} entry',
      'items[4]: not a valid {channel, video} entry',
      'items[5]: not a valid {channel, video} entry',
      'items[6]: not a valid {channel, video} entry',
    ]);
    expect(list.has('CH13', '002')).toBe(true);
  });

  it.each([
    ['another schema', { ...example, schema: 'ytm.hotset_freeze.v2' }],
    ['no schema', { items: example.items }],
    ['an array', [example]],
    ['null', null],
    ['malformed JSON', '{"schema": "ytm.hotset_freeze.v1", '],
  ])('treats %s as empty and says why', (_name, input) => {
    const list = parseFreezeList(input);
    expect(list.items).toEqual([]);
    expect(list.has('CH04', '031')).toBe(false);
    expect(list.errors).toHaveLength(1);
  });

  it('treats a missing or non-array items as empty without failing', () => {
    expect(parseFreezeList({ schema: FREEZE_SCHEMA }).items).toEqual([]);
    expect(parseFreezeList({ schema: FREEZE_SCHEMA, items: {} }).errors).toEqual([]);
  });
});

describe('readFreezeList', () => {
  it('missing file → empty, no error', async () => {
    const list = await readFreezeList('/nonexistent/hotset_freeze.json');
    expect(list.items).toEqual([]);
    expect(list.errors).toEqual([]);
  });

  it('reads a real file and reports an unreadable one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ytm-freeze-'));
    const path = join(dir, 'hotset_freeze.json');
    await writeFile(path, JSON.stringify(example));
    expect((await readFreezeList(path)).has('CH04', '031')).toBe(true);
    // A directory in place of the file cannot be read: empty list plus an error.
    const asDir = await readFreezeList(dir);
    expect(asDir.items).toEqual([]);
    expect(asDir.errors[0]).toMatch(/EISDIR/);
  });
});

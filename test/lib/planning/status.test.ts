import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isEpisodePublished } from '../../../lib/planning/posted.js';
import { parseStatusJson, readStatusJson } from '../../../lib/planning/status.js';
import { samplePath } from './samples.js';

const SAMPLE = samplePath('scripts/CH22/001/status.json');

describe('status.json: the real CH22/001 sample', () => {
  it('keeps the identity fields and drops the huge metadata', async () => {
    const res = await readStatusJson(SAMPLE);
    if (!res.ok) throw new Error(res.error);
    expect(res.status).toMatchObject({
      script_id: 'CH22-001',
      channel: 'CH22',
      video_number: '001',
      status: 'script_in_progress',
    });
    // Unknown keys (stages, channel_code, prompts, persona_path, …) are not kept.
    expect(Object.keys(res.status).sort()).toEqual(['channel', 'metadata', 'script_id', 'status', 'video_number']);
    expect(Object.keys(res.status.metadata ?? {})).toEqual([]);
    expect(readFileSync(SAMPLE, 'utf8')).toContain('"persona_path"');
  });

  // The sample is the pre-fix snapshot: unlike the facts' example it has neither field.
  it('has no video_run_id and no published_lock, so it is not published by status', async () => {
    const res = await readStatusJson(SAMPLE);
    if (!res.ok) throw new Error(res.error);
    expect(res.status.metadata?.video_run_id).toBeUndefined();
    expect(res.status.metadata?.published_lock).toBeUndefined();
    expect(isEpisodePublished({ progress: 'topic_research: pending', status: res.status })).toBe(false);
  });
});

describe('parseStatusJson', () => {
  it('reads the publish and run fields of the documented shape', () => {
    const text = JSON.stringify({
      script_id: 'CH22-001',
      channel: 'CH22',
      status: 'script_in_progress',
      video_number: '001',
      metadata: {
        title: '…',
        alignment: { schema: 'ytm.alignment.v1' },
        video_run_id: 'CH22-001_capcut_v1',
        video_run_selected_at: '2026-01-10T02:00:00Z',
        published_lock: true,
        published_at: '2026-01-05',
      },
      stages: { topic_research: { status: 'completed', details: {} } },
    });
    const res = parseStatusJson(text);
    if (!res.ok) throw new Error(res.error);
    expect(res.status.metadata).toEqual({
      video_run_id: 'CH22-001_capcut_v1',
      published_lock: true,
      published_at: '2026-01-05',
    });
    expect(isEpisodePublished({ progress: '', status: res.status })).toBe(true);
  });

  it('reads a wrongly typed field as absent instead of failing the file', () => {
    const res = parseStatusJson(
      JSON.stringify({ script_id: 5, video_number: 7, metadata: { video_run_id: ['x'], published_lock: 'yes' } }),
    );
    if (!res.ok) throw new Error(res.error);
    expect(res.status.script_id).toBeUndefined();
    expect(res.status.video_number).toBe('7');
    expect(res.status.metadata?.video_run_id).toBeUndefined();
    expect(res.status.metadata?.published_lock).toBe('yes');
    expect(parseStatusJson(JSON.stringify({ metadata: 'oops' }))).toMatchObject({ ok: true });
  });

  it.each([
    ['truncated JSON', '{"script_id": "CH22-001", ', 'invalid_json'],
    ['empty text', '', 'invalid_json'],
    ['an array', '[1,2]', 'invalid_shape'],
    ['a string', '"x"', 'invalid_shape'],
    ['null', 'null', 'invalid_shape'],
  ])('never throws on %s', (_name, text, code) => {
    const res = parseStatusJson(text);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.code).toBe(code);
  });

  it('reports a missing file', async () => {
    expect(await readStatusJson('/nonexistent/status.json')).toMatchObject({ ok: false, code: 'missing' });
  });
});

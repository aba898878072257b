// The pieces relink and the doctor share (lib/capcut): the deep draft audit on real folders, and candidate
// matching on names as macOS stores them (NFD) against names written down in NFC.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftNameHasEpisode, draftRelation, findDraftCandidates } from '../../lib/capcut/candidates.js';
import { auditDraft, auditVerdict } from '../../lib/capcut/draft-audit.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ytm-capcut-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function draft(name: string, files: Record<string, string | object>): string {
  const d = path.join(dir, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
    writeFileSync(path.join(d, rel), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return d;
}

const sound = (d: string) => ({
  'draft_info.json': { draft_id: 'A', draft_name: 'x' },
  'draft_meta_info.json': { draft_fold_path: d, draft_id: 'A', draft_name: 'x' },
});

describe('auditDraft', () => {
  it('a sound draft: internal refs present, an empty draft_biz_config.json tolerated, external media only warned', async () => {
    const d = path.join(dir, 'ok');
    draft('ok', {
      ...sound(d),
      'draft_biz_config.json': '',
      'materials/a.png': 'png',
      'draft_content.json': { m: [{ path: `file://${d}/materials/a.png` }, { path: '/Users/dd/gone/voice.wav' }] },
    });
    const a = await auditDraft(d, { shareRoot: null });
    expect(a.ok).toBe(true);
    expect(a.externalMissingRefs).toEqual(['/Users/dd/gone/voice.wav']);
    expect(auditVerdict(a)).toBe('ok: 3 draft files, 1 internal ref(s) present; warning: 1 external media missing');
  });

  it('external media on the share are never stat-ed', async () => {
    const share = path.join(dir, 'share');
    const d = path.join(dir, 'd');
    draft('d', { ...sound(d), 'draft_content.json': { p: `${share}/archive/x.mp4` } });
    const a = await auditDraft(d, { shareRoot: share });
    expect(a.externalMissingRefs).toEqual([]);
    expect(a.externalOnShare).toBe(1);
  });

  it('names every kind of fault', async () => {
    const d = path.join(dir, 'bad');
    draft('bad', {
      'draft_info.json': { draft_id: 'A' },
      'draft_meta_info.json': { draft_fold_path: '/elsewhere/draft', draft_id: 'B' },
      'draft_content.json': {
        a: '##_draftpath_placeholder_1##',
        b: 'materials/none.png',
        c: 'assets/empty.wav',
        d: 'materials/../../../etc/passwd',
      },
      'assets/empty.wav': '',
      'Resources/broken.json': '{',
    });
    const a = await auditDraft(d, { shareRoot: null });
    expect(a.ok).toBe(false);
    expect(a.placeholderRefs).toEqual(['##_draftpath_placeholder_1##']);
    expect(a.missingInternalRefs).toEqual(['materials/../../../etc/passwd', 'materials/none.png']);
    expect(a.zeroByteInternalRefs).toEqual(['assets/empty.wav']);
    expect(a.jsonParseErrors).toEqual(['Resources/broken.json']);
    expect(a.metaIssues).toEqual([
      'draft_fold_path names another folder: /elsewhere/draft',
      'draft_id differs between draft_meta_info.json and draft_info.json',
    ]);
    expect(auditVerdict(a)).toMatch(/^BROKEN: 1 unparseable JSON \(Resources\/broken\.json\); 1 placeholder ref\(s\);/);
  });

  it('a folder without the draft files', async () => {
    mkdirSync(path.join(dir, 'empty'));
    const a = await auditDraft(path.join(dir, 'empty'), { shareRoot: null });
    expect(a.requiredMissing).toEqual(['draft_info.json', 'draft_content.json', 'draft_meta_info.json']);
    expect(auditVerdict(a)).toBe('BROKEN: missing draft_info.json, draft_content.json, draft_meta_info.json');
  });
});

describe('candidates', () => {
  const full = '★CH02-043-【視線の逃避】スマホから目を上げられない理由';

  it('matches the episode id only as a whole id', () => {
    expect(draftNameHasEpisode(full, 'CH02-043')).toBe(true);
    expect(draftNameHasEpisode('ch02-043_capcut_v1_draft', 'CH02-043')).toBe(true);
    expect(draftNameHasEpisode('★CH02-0431-x', 'CH02-043')).toBe(false);
    expect(draftNameHasEpisode('xCH02-043', 'CH02-043')).toBe(false);
    expect(draftNameHasEpisode('CH04-UNK_テンプレ', 'CH04-001')).toBe(false);
  });

  it('relates names written NFC to folder names stored NFD', () => {
    const nfd = (s: string) => s.normalize('NFD');
    const old = ['★CH01-252-がんばる人（5タイプ）'];
    expect(draftRelation(nfd('★CH01-252-がんばる人（5タイプ）(2)'), old)).toBe('numbered_copy');
    expect(draftRelation(nfd('★CH01-252-がんばる人（5タ'), old)).toBe('truncated');
    expect(draftRelation(nfd('完成★CH01-252-がんばる人（5タイプ）'), old)).toBe('finished_rename');
    expect(draftRelation(nfd('★CH01-252-がんばる人（5タイプ）'), old)).toBe('same_name');
    expect(draftRelation('★CH01-252-別の回', old)).toBe('same_episode');
  });

  it('lists both roots newest first, real folders only', async () => {
    const capcut = path.join(dir, 'capcut');
    const local = path.join(dir, 'local');
    const mk = (root: string, name: string, at: number) => {
      mkdirSync(path.join(root, name), { recursive: true });
      utimesSync(path.join(root, name), at, at);
    };
    mk(capcut, `${full}(2)`, 3000);
    mk(capcut, full.normalize('NFD'), 1000);
    mk(local, full, 2000);
    mk(capcut, '★CH02-044-other', 4000);
    writeFileSync(path.join(capcut, `${full}.txt`), 'not a folder');
    const found = await findDraftCandidates(
      'CH02-043',
      [
        { key: 'capcut_draft_root', dir: capcut },
        { key: 'capcut_fallback_root', dir: local },
        { key: 'capcut_fallback_root', dir: path.join(dir, 'missing') },
      ],
      [full],
    );
    expect(found.errors).toEqual([]);
    expect(found.candidates.map((c) => [c.root, c.name.normalize('NFC'), c.relation])).toEqual([
      ['capcut_draft_root', `${full}(2)`, 'numbered_copy'],
      ['capcut_fallback_root', full, 'same_name'],
      ['capcut_draft_root', full, 'same_name'],
    ]);
  });
});

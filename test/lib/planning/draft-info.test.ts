import { describe, expect, it } from 'vitest';
import {
  draftLocation,
  PATH_REF_SCHEMA,
  parseCapcutDraftInfo,
  resolvePathRef,
  validatePathRef,
} from '../../../lib/planning/draft-info.js';

const DRAFT_ROOT = '/Users/dd/Movies/CapCut/User Data/Projects/com.lveditor.draft';
const roots = {
  repo: '/Users/dd/10_YouTube_Automation/factory_commentary',
  workspace: '/Users/dd/10_YouTube_Automation/factory_commentary/workspaces',
  capcut_draft_root: DRAFT_ROOT,
  capcut_fallback_root: '/Users/dd/10_YouTube_Automation/factory_commentary/workspaces/video/_capcut_drafts',
};
const NAME = '★CH02-043-【視線の逃避】スマホから目を上げられない理由(2)';
const ref = (root: string, rel: string) => ({ schema: PATH_REF_SCHEMA, root, rel });

// Facts §3.4 example, with the real key set.
const exampleText = JSON.stringify({
  draft_name: '★CH02-043-【視線の逃避】スマホから目を上げられない理由',
  draft_path_ref: ref('capcut_draft_root', NAME),
  draft_path: `${DRAFT_ROOT}/${NAME}`,
  created_at: '2026-01-26T14:56:33',
  project_id: 'CH02-043_regen_20260126_145633',
  template_used: 'CH02-テンプレ',
  transform: { tx: 0.0, ty: 0.0, scale: 1.03 },
  crossfade_sec: 0.5,
  fade_duration_sec: 0.5,
  title: '【視線の逃避】…',
  srt_file: 'workspaces/audio/final/CH02/043/CH02-043.srt',
});

describe('parseCapcutDraftInfo', () => {
  it('reads the documented example and drops unknown keys', () => {
    const res = parseCapcutDraftInfo(exampleText);
    if (!res.ok) throw new Error(res.error);
    expect(res.info.project_id).toBe('CH02-043_regen_20260126_145633');
    expect(res.info.draft_path).toBe(`${DRAFT_ROOT}/${NAME}`);
    expect(res.info.draft_path_ref).toEqual(ref('capcut_draft_root', NAME));
    expect(res.info).not.toHaveProperty('transform');
  });

  it('tolerates wrongly typed fields and never throws', () => {
    const res = parseCapcutDraftInfo(JSON.stringify({ draft_path: 42, draft_path_ref: 'nope', draft_name: 'x' }));
    if (!res.ok) throw new Error(res.error);
    expect(res.info.draft_path).toBeUndefined();
    expect(res.info.draft_name).toBe('x');
    for (const bad of ['', '{', '[]', 'null', '3']) expect(parseCapcutDraftInfo(bad).ok).toBe(false);
  });
});

describe('PathRef v1', () => {
  it('resolves each known root', () => {
    expect(resolvePathRef(ref('capcut_draft_root', NAME), roots)).toBe(`${DRAFT_ROOT}/${NAME}`);
    expect(resolvePathRef(ref('capcut_fallback_root', 'a/b'), roots)).toBe(`${roots.capcut_fallback_root}/a/b`);
    expect(resolvePathRef(ref('workspace', 'video/runs/x'), roots)).toBe(`${roots.workspace}/video/runs/x`);
    expect(resolvePathRef(ref('repo', 'README.md'), roots)).toBe(`${roots.repo}/README.md`);
  });

  it.each([
    ['a .. segment', ref('capcut_draft_root', '../escape')],
    ['a nested .. segment', ref('capcut_draft_root', 'a/../../b')],
    ['a . segment', ref('capcut_draft_root', './a')],
    ['a leading /', ref('capcut_draft_root', '/etc/passwd')],
    ['an empty segment', ref('capcut_draft_root', 'a//b')],
    ['a trailing /', ref('capcut_draft_root', 'a/')],
    ['an empty rel', ref('capcut_draft_root', '')],
    ['a backslash', ref('capcut_draft_root', '..\\x')],
    ['an unknown root', ref('home', 'x')],
    ['a wrong schema', { schema: 'ytm.path_ref.v2', root: 'repo', rel: 'x' }],
    ['no schema', { root: 'repo', rel: 'x' }],
    ['a non-string rel', { schema: PATH_REF_SCHEMA, root: 'repo', rel: 5 }],
    ['null', null],
    ['a string', '/abs/path'],
  ])('refuses %s', (_name, input) => {
    expect(validatePathRef(input).ok).toBe(false);
    expect(resolvePathRef(input, roots)).toBeNull();
  });

  it('keeps dots inside names (`..` only matters as a whole segment)', () => {
    expect(resolvePathRef(ref('repo', 'a..b/.hidden/x.json'), roots)).toBe(`${roots.repo}/a..b/.hidden/x.json`);
  });

  it('returns null when the root is not configured or not absolute', () => {
    const r = ref('capcut_draft_root', NAME);
    expect(resolvePathRef(r, {})).toBeNull();
    expect(resolvePathRef(r, { capcut_draft_root: null })).toBeNull();
    expect(resolvePathRef(r, { capcut_draft_root: '' })).toBeNull();
    expect(resolvePathRef(r, { capcut_draft_root: 'relative/root' })).toBeNull();
  });
});

describe('draftLocation', () => {
  const parsed = parseCapcutDraftInfo(exampleText);
  if (!parsed.ok) throw new Error(parsed.error);
  const info = parsed.info;

  it('prefers the path ref when it resolves', () => {
    // Make the two differ so the test can tell which was used.
    const moved = { ...info, draft_path: '/Volumes/old/elsewhere' };
    expect(draftLocation(moved, roots)).toEqual({ path: `${DRAFT_ROOT}/${NAME}`, via: 'path_ref' });
  });

  it('falls back to draft_path when the ref does not resolve or is absent', () => {
    expect(draftLocation(info, {})).toEqual({ path: `${DRAFT_ROOT}/${NAME}`, via: 'draft_path' });
    const badRef = { ...info, draft_path_ref: ref('capcut_draft_root', '../x'), draft_path: '/d/x' };
    expect(draftLocation(badRef, roots)).toEqual({ path: '/d/x', via: 'draft_path' });
    expect(draftLocation({ draft_path: '/d/y' }, roots)).toEqual({ path: '/d/y', via: 'draft_path' });
  });

  it('returns nothing when neither is usable', () => {
    expect(draftLocation({ draft_path_ref: null, draft_path: '  ' }, roots)).toEqual({ path: null, via: null });
    expect(draftLocation({}, {})).toEqual({ path: null, via: null });
  });
});

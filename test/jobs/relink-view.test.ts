// The Slack view of relink candidates stays inside Slack's limits however long the names and verdicts are, and
// every "Use this draft" value leads back, through the bot's own check, to exactly that candidate's folder.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftFromButton } from '../../bot/actions/relink-use-draft.js';
import { RELINK_USE_DRAFT_ACTION, relinkCandidatesView } from '../../bot/views/relink.js';
import type { CandidateView, RelinkListing } from '../../jobs/relink/listing.js';
import { loadConfig } from '../../lib/config.js';
import { checkMessage } from '../slack/blocks-limits.js';

const ROOT = '/Users/dd/Movies/CapCut/User Data/Projects/com.lveditor.draft';
const LOCAL = '/Users/dd/factory/workspaces/video/_capcut_drafts';

function listing(n: number, nameLength: number, verdictLength: number): RelinkListing {
  const candidates: CandidateView[] = Array.from({ length: n }, (_, i) => {
    const local = i % 3 === 2;
    const name = `★CH13-002-【家族】${'長い題名<&>'.repeat(nameLength / 7)}(${i})`;
    return {
      path: path.join(local ? LOCAL : ROOT, name),
      name,
      root: local ? 'capcut_fallback_root' : 'capcut_draft_root',
      mtime: new Date(Date.UTC(2026, 0, 26, 12, i)).toISOString(),
      files: ['draft_info.json', 'draft_content.json', 'draft_meta_info.json'],
      relation: "CapCut's (N) copy of that name",
      ok: i % 2 === 0,
      verdict: i % 2 === 0 ? 'ok: 3 draft files, 2 internal ref(s) present' : `BROKEN: ${'x'.repeat(verdictLength)}`,
      linked: false,
    };
  });
  return {
    kind: 'relink.candidates',
    episode: 'CH13-002',
    run: { runId: 'CH13-002_regen_20260126_145633', dir: '/r', via: 'ranking', videoRunIdMissing: false, runs: 2 },
    link: null,
    info: null,
    problems: ['capcut_draft → /gone: that folder does not exist on this Mac (renamed, cut short or deleted)'],
    roots: [
      { key: 'capcut_draft_root', dir: ROOT },
      { key: 'capcut_fallback_root', dir: LOCAL },
    ],
    candidates,
    totalCandidates: candidates.length,
    errors: [],
  };
}

const buttons = (blocks: Record<string, unknown>[]) =>
  blocks.flatMap((b) => (b.accessory ? [b.accessory as { action_id: string; value: string }] : []));

describe('relink candidates view', () => {
  const config = (() => {
    const c = loadConfig({ YTM_CAPCUT_DRAFT_ROOT: ROOT, YTM_WORKSPACE_ROOT: '/Users/dd/factory/workspaces' });
    if (!c.ok) throw new Error(JSON.stringify(c.problems));
    return c.config;
  })();

  it.each([
    [3, 40, 100],
    [10, 60, 200],
    [10, 300, 3000],
  ])('%i candidates, names of %i and verdicts of %i characters: within every Slack limit', (n, name, verdict) => {
    const l = listing(n, name, verdict);
    const view = relinkCandidatesView(l);
    expect(checkMessage({ text: view.text, blocks: view.blocks })).toBeUndefined();
    const shown = buttons(view.blocks);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((b) => b.action_id === RELINK_USE_DRAFT_ACTION)).toBe(true);
    if (name <= 60) expect(shown).toHaveLength(n);
    shown.forEach((b, i) => {
      expect(draftFromButton(b.value, { config })).toEqual({ episode: 'CH13-002', draft: l.candidates[i]?.path });
    });
    // Names are escaped for mrkdwn in the text (the button value carries them raw: it is data, not text).
    const texts = view.blocks.map((b) => JSON.stringify((b as { text?: unknown }).text ?? ''));
    expect(texts.join('\n')).not.toContain('長い題名<&>');
  });

  it('the candidate the link already leads to has no button', () => {
    const l = listing(2, 20, 10);
    (l.candidates[0] as CandidateView).linked = true;
    const shown = buttons(relinkCandidatesView(l).blocks);
    expect(shown).toHaveLength(1);
    expect(JSON.parse(shown[0]?.value as string).n).toBe(l.candidates[1]?.name);
  });

  it.each([
    ['not JSON', '/etc/passwd'],
    ['an unknown root', JSON.stringify({ e: 'CH13-002', r: 'workspace', n: '★CH13-002-x' })],
    ['a climb out of the root', JSON.stringify({ e: 'CH13-002', r: 'capcut_draft_root', n: '../★CH13-002-x' })],
    ['an absolute path', JSON.stringify({ e: 'CH13-002', r: 'capcut_draft_root', n: '/tmp/★CH13-002-x' })],
    ['another episode', JSON.stringify({ e: 'CH13-002', r: 'capcut_draft_root', n: '★CH13-003-x' })],
    ['a malformed episode', JSON.stringify({ e: 'CH13-2', r: 'capcut_draft_root', n: '★CH13-002-x' })],
    ['a control character', JSON.stringify({ e: 'CH13-002', r: 'capcut_draft_root', n: '★CH13-002-x\u202e' })],
  ])('a button value with %s is refused', (_what, value) => {
    expect(draftFromButton(value, { config })).toHaveProperty('missing');
  });
});

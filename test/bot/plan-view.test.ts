// The plan card stays inside Slack's limits whatever the plan holds, and its buttons follow the rules: no
// Approve with refusals or without approvers, a confirm dialog (≤ 300 chars) on destructive plans.
import { describe, expect, it } from 'vitest';
import { destructiveSummary, fullListView, planCardView } from '../../bot/views/plan-card.js';
import { resultView } from '../../bot/views/plan-status.js';
import type { Plan } from '../../lib/plan/types.js';
import { checkMessage } from '../slack/blocks-limits.js';

const checkBlocks = (blocks: unknown[]) => checkMessage({ text: 'x', blocks }) ?? [];

const ID = 'a'.repeat(64);

function plan(n: number, over: Partial<Plan> = {}): Plan {
  const actions = Array.from({ length: n }, (_, i) => ({
    op: 'store',
    src: `/w/audio/final/CH01/${String(i).padStart(3, '0')}/${'x'.repeat(120)}.wav`,
    srcRel: `audio/final/CH01/${String(i).padStart(3, '0')}/${'x'.repeat(120)}.wav`,
    srcMtimeMs: 1,
    dest: `/share/uploads/ns/audio_final/${i}.wav`,
    destRel: `audio_final/CH01/${i}.wav`,
    kind: 'audio_final',
    episode: 'CH01-001',
    size: 1000 + i,
    sha256: 'b'.repeat(64),
    destState: 'absent',
    overwrite: false,
    after: 'symlink-back',
    target: {
      configuredRoot: '/share',
      effectiveRoot: '/share',
      namespace: 'ns',
      base: '/share/uploads/ns',
      offline: false,
      offlineReason: null,
      flushedFrom: null,
    },
  }));
  return {
    job: 'store',
    input: { episode: 'CH01-001' },
    createdAt: '2026-01-01T00:00:00Z',
    host: 'mac',
    preconditions: { share: { state: 'up', offline: false, base: '/share/uploads/ns' } },
    actions,
    warnings: Array.from({ length: 40 }, (_, i) => `warning ${i} ${'w'.repeat(300)}`),
    refusals: [],
    summary: `store ${n} file(s)`,
    destructive: true,
    ...over,
  };
}

const card = (p: Plan, approvers = ['U0APPROVE1']) =>
  planCardView({
    planId: ID,
    plan: p,
    requestedBy: 'U0REQ',
    expiresAt: '2026-01-01T00:30:00Z',
    approvers,
    needed: 2,
    requesterExcluded: true,
    command: 'store --episode CH01-001',
  });

const buttons = (blocks: unknown[]) =>
  (blocks as { type: string; elements?: { action_id: string; confirm?: { text: { text: string } } }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);

describe('plan card', () => {
  it('a 2,000-file destructive plan fits Slack limits, cuts the list with "…and N more", keeps its buttons', () => {
    const v = card(plan(2000));
    expect(checkBlocks(v.blocks)).toEqual([]);
    expect(JSON.stringify(v.blocks).length).toBeLessThan(12_000);
    expect(JSON.stringify(v.blocks)).toMatch(/…and \d+ more \(full list in the thread\)/);
    const b = buttons(v.blocks);
    expect(b.map((x) => x.action_id)).toEqual(['plan.approve', 'plan.cancel']);
    const confirm = b[0]?.confirm?.text.text ?? '';
    expect(confirm).toContain('2000 source file(s) will be replaced by links');
    expect(confirm.length).toBeLessThanOrEqual(300);
    const full = fullListView(plan(2000));
    expect(full && checkBlocks(full.blocks)).toEqual([]);
    expect(JSON.stringify(full?.blocks)).toMatch(/…and \d+ more/);
  });

  it('refusals: no Approve and no Cancel (the plan is not stored); no approvers: Cancel only', () => {
    const refused = card(plan(3, { refusals: [{ code: 'UNPOSTED', message: 'CH01-001 is not posted' }] }));
    expect(buttons(refused.blocks)).toEqual([]);
    expect(JSON.stringify(refused.blocks)).toContain('UNPOSTED');
    const closed = card(plan(3), []);
    expect(buttons(closed.blocks).map((x) => x.action_id)).toEqual(['plan.cancel']);
    expect(JSON.stringify(closed.blocks)).toContain('YTM_SLACK_APPROVERS');
  });

  it('a result card with 2,000 outcomes fits, and has no buttons', () => {
    const p = plan(2000);
    const v = resultView(
      { planId: ID, plan: p, requestedBy: 'U0REQ' },
      {
        planId: ID,
        job: 'store',
        state: 'partial',
        outcomes: p.actions.map((_, i) => ({
          index: i,
          label: `copy file ${i} ${'y'.repeat(200)}`,
          status: i % 2 ? 'done' : 'failed',
          message: 'EIO '.repeat(100),
        })),
        counts: { done: 1000, failed: 1000, up_to_date: 0, skipped: 0 },
        report: '/w/logs/ops/store/report.json',
        exitCode: 1,
      },
      ['U0APPROVE1'],
    );
    expect(checkBlocks(v.blocks)).toEqual([]);
    expect(buttons(v.blocks)).toEqual([]);
    expect(JSON.stringify(v.blocks)).toContain('Partly done');
  });
});

describe('the confirm dialog says what the plan does', () => {
  it('a store plan names its links; a mirror plan its own summary, with no word of SHA-256 copies', () => {
    expect(destructiveSummary(plan(3))).toMatch(
      /^3 source file\(s\) will be replaced by links to the share\. .*SHA-256/,
    );
    const mirror = { ...plan(0), job: 'mirror', summary: 'main pass: 12 created, 4 deleted (1.2 MiB)' };
    expect(destructiveSummary(mirror)).toBe(
      'This plan replaces or removes files: main pass: 12 created, 4 deleted (1.2 MiB)',
    );
  });
});

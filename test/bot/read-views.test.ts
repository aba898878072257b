// `/ytm plans` and `/ytm audit` views stay inside Slack's limits whatever the state dir holds, and a broken
// audit chain leads the answer.
import { describe, expect, it } from 'vitest';
import { auditView } from '../../bot/views/audit.js';
import { plansView } from '../../bot/views/plans.js';
import type { AuditEntry } from '../../lib/audit/entry.js';
import { checkMessage } from '../slack/blocks-limits.js';

const entry = (seq: number): AuditEntry => ({
  seq,
  at: `2026-12-02T10:${String(seq % 60).padStart(2, '0')}:00.000Z`,
  kind: 'job.refused',
  actor: 'U0ME',
  planId: 'c'.repeat(64),
  data: { reason: `declined ${seq} ${'x'.repeat(300)}` },
  prev: '0'.repeat(64),
  hash: '1'.repeat(64),
});

describe('read-only Slack views', () => {
  it('audit: newest first, cut within limits with where the rest is; a broken chain is said first', () => {
    const entries = Array.from({ length: 500 }, (_, i) => entry(i + 1));
    const v = auditView({
      entries,
      verification: { ok: false, lines: 500, problems: [{ line: 4, seq: 4, reason: 'hash does not match' }] },
    });
    expect(checkMessage(v)).toBeUndefined();
    const all = JSON.stringify(v.blocks);
    expect(all.indexOf('audit chain BROKEN')).toBeLessThan(all.indexOf('#500'));
    expect(all).toContain('line 4 (seq 4): hash does not match');
    expect(all.indexOf('#500')).toBeLessThan(all.indexOf('#499'));
    expect(all).toMatch(/…and \d+ older: `ytm audit` in a terminal lists them all/);
  });

  it('plans: every plan a line, cut within limits', () => {
    const plans = Array.from({ length: 300 }, (_, i) => ({
      shortId: `abcdef${String(i).padStart(4, '0')}`,
      state: 'awaiting_approval',
      job: 'store',
      requestedBy: 'U0ME',
      expiresAt: '2026-12-02T12:00:00.000Z',
      summary: `store 3 file(s) <to> the share ${'s'.repeat(150)}`,
    }));
    const v = plansView({ plans, invalid: [] });
    expect(checkMessage(v)).toBeUndefined();
    expect(JSON.stringify(v.blocks)).toContain('&lt;to&gt;');
    expect(JSON.stringify(v.blocks)).toMatch(/…and \d+ more: `ytm plans` in a terminal lists them all/);
  });
});

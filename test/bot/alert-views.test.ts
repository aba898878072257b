// The alert views: the texts the issue asks for, the fix button each alert names (a Hot alert plans the relink
// of an episode it lists), and every view within Slack's limits even with very long details.
import { describe, expect, it } from 'vitest';
import { conditionsOf } from '../../bot/alerts/conditions.js';
import { step } from '../../bot/alerts/machine.js';
import type { AlertRecord } from '../../bot/alerts/types.js';
import { alertView, resolvedReply, resolvedView } from '../../bot/views/alert.js';
import type { Finding } from '../../jobs/doctor/report.js';
import type { MonitorSnapshot } from '../../jobs/monitor/snapshot.js';
import { checkMessage } from '../slack/blocks-limits.js';

const T0 = Date.parse('2026-12-02T09:12:00Z');
const settings = { forChecks: 1, clearChecks: 1, repeatMs: 3_600_000, diskMarginBytes: 10 * 1024 ** 3 };
const lengths = { shortMin: 60, longMin: 1440 };

function fire(findings: Finding[], extra: Partial<MonitorSnapshot> = {}): AlertRecord[] {
  const s: MonitorSnapshot = {
    schema: 'ytm.ops.monitor.v1',
    checkedAt: new Date(T0).toISOString(),
    host: 'mac',
    durationMs: 1,
    share: { state: 'up', root: '/share', reason: null, stuckProbes: [] },
    disk: {
      path: '/ws',
      freeBytes: 72 * 1024 ** 3,
      totalBytes: null,
      warnBytes: 150 * 1024 ** 3,
      stopBytes: 80 * 1024 ** 3,
    },
    planning: { configured: '/share/planning', effective: '/ws/planning', fallback: true },
    findings,
    drift: null,
    doctor: null,
    incomplete: [],
    ...extra,
  };
  const r = step({ alerts: {}, silences: {} }, conditionsOf(s, {}, settings), T0, settings);
  return r.events.flatMap((e) => (e.type === 'fired' ? [e.alert] : []));
}

const hotFinding = (code: string, examples: string[]): Finding => ({
  code: code as Finding['code'],
  severity: 'crit',
  count: examples.length,
  message: 'a Hot episode draft is not on the Mac',
  examples,
});

describe('alert views', () => {
  it('say what is wrong in one line, with the fix the alert names', () => {
    const alerts = fire([
      hotFinding('HOT_POINTS_TO_SHARE', ['CH02-004: CH02-004_v1/capcut_draft -> /share/x']),
      hotFinding('HOT_RUN_SYMLINK_BROKEN', ['CH02-003: a -> b', 'CH02-006: c -> d']),
      { code: 'OUTBOX_PENDING', severity: 'warn', count: 3, message: '3 file(s) wait', examples: ['a.wav'] },
      { code: 'PLANNING_FALLBACK', severity: 'warn', count: 1, message: 'not in effect', examples: [] },
    ]);
    const byKey = Object.fromEntries(alerts.map((a) => [a.key, alertView(a, { silence: null, lengths, now: T0 })]));
    expect(byKey.disk?.text).toBe('Disk: 72 GiB free, below the 80 GiB stop line');
    expect(byKey.hot?.text).toBe('3 Hot episodes have no local CapCut draft');
    expect(byKey.outbox?.text).toBe('Outbox not drained: 3 file(s) wait while the share is up');
    expect(byKey.planning?.text).toBe('Planning split: using /ws/planning, not the configured /share/planning');
    const buttons = (v: { blocks: unknown[] } | undefined) =>
      (v?.blocks ?? [])
        .flatMap(
          (b) => (b as { elements?: { action_id?: string; value?: string; text?: { text: string } }[] }).elements ?? [],
        )
        .filter((e) => e.action_id)
        .map((e) => `${e.text?.text}=${e.action_id}:${e.value}`);
    expect(buttons(byKey.hot)).toEqual([
      'Plan relink CH02-003=alert.plan:relink CH02-003',
      'Run doctor=doctor.rerun:alert',
      'Silence 1 h=alert.silence_short:hot',
      'Silence 24 h=alert.silence_long:hot',
    ]);
    expect(buttons(byKey.outbox)[0]).toBe('Plan outbox flush=outbox.plan_flush:flush');
    for (const v of Object.values(byKey)) expect(checkMessage({ channel: 'C1', ...v })).toBeUndefined();
  });

  it('the resolved message and reply say how long it lasted', () => {
    const [disk] = fire([]);
    if (!disk) throw new Error('no disk alert');
    const at = new Date(T0 + 42 * 60_000).toISOString();
    expect(resolvedView(disk, at).text).toBe(
      'Resolved: Disk: 72 GiB free, below the 80 GiB stop line (resolved after 42 min)',
    );
    expect(resolvedReply(disk, at).text).toBe('resolved after 42 min');
  });

  it('stays within Slack limits with huge details', () => {
    const many = Array.from({ length: 500 }, (_, i) => `CH01-${String(i).padStart(3, '0')}: ${'x'.repeat(300)}`);
    const [hot] = fire([hotFinding('HOT_DRAFT_MISSING', many)], {
      disk: { path: '/ws', freeBytes: 900 * 1024 ** 3, totalBytes: null, warnBytes: 1, stopBytes: 0 },
      planning: { configured: null, effective: '/ws/planning', fallback: false },
    });
    if (!hot) throw new Error('no hot alert');
    hot.details = many;
    const view = alertView(hot, {
      silence: { key: 'hot', until: new Date(T0).toISOString(), by: 'U1', incident: null },
      lengths,
      now: T0,
    });
    expect(checkMessage({ channel: 'C1', ...view })).toBeUndefined();
  });
});

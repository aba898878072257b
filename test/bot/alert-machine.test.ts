// The alert state machine with injected snapshots and clock: debounce, flapping, disk hysteresis and
// escalation, reminders, inhibition by the share alert, silences and their end.
import { describe, expect, it } from 'vitest';
import { conditionsOf } from '../../bot/alerts/conditions.js';
import { type MachineState, previousSeverities, silence, step } from '../../bot/alerts/machine.js';
import type { AlertEvent, AlertSettings } from '../../bot/alerts/types.js';
import { alertHeadline } from '../../bot/views/alert.js';
import type { Finding } from '../../jobs/doctor/report.js';
import type { MonitorSnapshot } from '../../jobs/monitor/snapshot.js';

const GIB = 1024 ** 3;
const MIN = 60_000;
const settings: AlertSettings = { forChecks: 2, clearChecks: 2, repeatMs: 240 * MIN, diskMarginBytes: 10 * GIB };
const T0 = Date.parse('2026-12-02T09:12:00Z');

function snap(
  o: { share?: MonitorSnapshot['share']['state']; freeGiB?: number; findings?: Finding[]; drift?: number } = {},
): MonitorSnapshot {
  return {
    schema: 'ytm.ops.monitor.v1',
    checkedAt: new Date(T0).toISOString(),
    host: 'mac',
    durationMs: 1,
    share: {
      state: o.share ?? 'up',
      root: '/share',
      reason: o.share && o.share !== 'up' ? 'stub marker' : null,
      stuckProbes: [],
    },
    disk: {
      path: '/ws',
      freeBytes: (o.freeGiB ?? 500) * GIB,
      totalBytes: 1000 * GIB,
      warnBytes: 150 * GIB,
      stopBytes: 80 * GIB,
    },
    planning: { configured: null, effective: '/ws/planning', fallback: false },
    findings: o.findings ?? [],
    drift:
      o.drift === undefined
        ? null
        : { created: o.drift, updated: 0, deleted: 0, bytes: 1, measuredAt: new Date(T0).toISOString() },
    doctor: null,
    incomplete: [],
  };
}

const mirrorFailed: Finding = {
  code: 'MIRROR_FAILED',
  severity: 'warn',
  count: 1,
  message: 'the last mirror run failed (rsync exit 23, 5 min ago); see its report',
  examples: [],
};

/** Feeds snapshots one check a minute apart; returns every event with its check number. */
function run(snaps: MonitorSnapshot[], start: MachineState = { alerts: {}, silences: {} }, t0 = T0) {
  let state = start;
  const events: (AlertEvent & { check: number })[] = [];
  snaps.forEach((s, i) => {
    const r = step(state, conditionsOf(s, previousSeverities(state), settings), t0 + i * MIN, settings);
    state = r.state;
    events.push(...r.events.map((e) => ({ ...e, check: i })));
  });
  return { state, events };
}

describe('alert state machine', () => {
  it('a stub share fires once after two bad checks, and resolves once after two good ones', () => {
    const { events, state } = run([
      snap({ share: 'stub' }),
      snap({ share: 'stub' }),
      snap({ share: 'stub' }),
      snap(),
      snap(),
    ]);
    expect(events.map((e) => `${e.check}:${e.type}`)).toEqual(['1:fired', '4:resolved']);
    const fired = events[0];
    if (fired?.type !== 'fired') throw new Error('no fired event');
    expect(alertHeadline(fired.alert)).toMatch(
      /^Share down \(stub since \d\d:\d\d\): stores go to the outbox, mirror paused$/,
    );
    expect(state.alerts).toEqual({});
  });

  it('a wake from sleep (one hung check, then up) posts nothing: no share alert, no second outbox message', () => {
    const outbox: Finding = {
      code: 'OUTBOX_PENDING',
      severity: 'warn',
      count: 2,
      message: '2 file(s) wait in the outbox',
      examples: ['a.wav', 'b.wav'],
    };
    const s = [
      snap({ findings: [outbox] }),
      snap({ findings: [outbox] }),
      snap({ share: 'hung', findings: [outbox] }),
      snap({ findings: [outbox] }),
      snap({ findings: [outbox] }),
    ];
    expect(run(s).events.map((e) => `${e.check}:${e.type}:${e.alert?.key}`)).toEqual(['1:fired:outbox']);
  });

  it('a condition that flaps (bad, good, bad, good…) produces no message at all', () => {
    const flaps = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? snap({ share: 'stub' }) : snap()));
    expect(run(flaps).events).toEqual([]);
  });

  it('a firing alert that flaps keeps its one message until it is good twice in a row', () => {
    const s = [
      snap({ share: 'stub' }),
      snap({ share: 'stub' }),
      snap(),
      snap({ share: 'stub' }),
      snap(),
      snap({ share: 'stub' }),
      snap(),
      snap(),
    ];
    expect(run(s).events.map((e) => `${e.check}:${e.type}`)).toEqual(['1:fired', '7:resolved']);
  });

  it('disk: warn, then stop (one incident, escalated), and resolved only past the margin above the warn line', () => {
    const free = [140, 140, 70, 70, 85, 95, 155, 159, 161, 161];
    const { events } = run(free.map((f) => snap({ freeGiB: f })));
    const seen = events.map(
      (e) => `${e.check}:${e.type}${e.type === 'changed' ? `:${e.escalated ? 'up' : 'down'}` : ''}`,
    );
    // 85 GiB is still within 10 GiB of the 80 GiB stop line: it stays a stop; 95 is back to a warning;
    // 155 and 159 are under warn + margin (160): still warning; 161 twice clears it.
    expect(seen).toEqual(['1:fired', '2:changed:up', '5:changed:down', '9:resolved']);
    const incidents = new Set(events.map((e) => (e.type === 'silence_ended' ? '' : e.alert.incident)));
    expect(incidents.size).toBe(1);
    const escalated = events[1];
    if (escalated?.type !== 'changed') throw new Error('no change');
    expect(alertHeadline(escalated.alert)).toBe('Disk: 70 GiB free, below the 80 GiB stop line');
  });

  it('reminds in the thread every repeat interval while the alert lasts', () => {
    const checks = Array.from({ length: 9 * 60 }, () => snap({ findings: [mirrorFailed] }));
    const { events } = run(checks);
    expect(events.map((e) => `${e.check}:${e.type}`)).toEqual(['1:fired', '241:reminder', '481:reminder']);
  });

  it('while the share is down, mirror and drift alerts are held back; they fire only after it is back', () => {
    const down = snap({ share: 'stub', findings: [mirrorFailed], drift: 1204 });
    const { events, state } = run([down, down, down, down]);
    expect(events.map((e) => `${e.type}:${e.type === 'silence_ended' ? '' : e.alert.key}`)).toEqual(['fired:share']);
    const back = snap({ findings: [mirrorFailed], drift: 1204 });
    const after = run([back, back, back, back], state, T0 + 4 * MIN);
    expect(after.events.map((e) => `${e.check}:${e.type}:${e.type === 'silence_ended' ? '' : e.alert.key}`)).toEqual([
      // The share clears on its second good check; the mirror and drift start counting
      // the check after, and fire after their own two bad checks.
      '1:resolved:share',
      '3:fired:mirror',
      '3:fired:drift',
    ]);
    const drift = after.events.find((e) => e.type === 'fired' && e.alert.key === 'drift');
    if (drift?.type !== 'fired') throw new Error('no drift');
    expect(alertHeadline(drift.alert)).toBe('Vault drift: 1,204 changes pending');
  });

  it('a silence holds the post and the reminders, and its end is announced', () => {
    const bad = snap({ findings: [mirrorFailed] });
    const first = run([bad, bad]);
    expect(first.events.map((e) => e.type)).toEqual(['fired']);
    // Silenced for 30 min at check 2; the repeat interval passes while silenced: no reminder.
    const silenced = silence(first.state, 'mirror', T0 + 2 * MIN + 30 * MIN, 'U0ALLOWED1');
    const during = run(
      Array.from({ length: 30 }, () => bad),
      silenced,
      T0 + 2 * MIN,
    );
    expect(during.events).toEqual([]);
    const after = run([bad], during.state, T0 + 32 * MIN);
    expect(after.events.map((e) => e.type)).toEqual(['silence_ended']);
    expect(after.state.silences).toEqual({});
  });

  it('an alert that fires under a silence is posted when the silence ends, if it still fires', () => {
    const silenced = silence({ alerts: {}, silences: {} }, 'share', T0 + 5 * MIN, 'U0ALLOWED1');
    const { events } = run(
      Array.from({ length: 7 }, () => snap({ share: 'hung' })),
      silenced,
    );
    expect(events.map((e) => `${e.check}:${e.type}${e.type === 'fired' ? `:${e.afterSilence}` : ''}`)).toEqual([
      '5:fired:true',
    ]);
  });

  it('a check that could not run neither raises nor clears its alert', () => {
    const bad = snap({ findings: [mirrorFailed] });
    const unknown = { ...snap(), incomplete: ['mirror: EACCES'] };
    const { events, state } = run([bad, bad, unknown, unknown, unknown]);
    expect(events.map((e) => e.type)).toEqual(['fired']);
    expect(state.alerts.mirror?.phase).toBe('firing');
  });
});

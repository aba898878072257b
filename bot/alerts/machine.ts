// The alert state machine, pure: per key ok → pending (bad checks < for) → firing → resolved (clear_for good
// checks in a row). A condition that clears while pending never produced a message, so a flap is silent; a
// firing alert that flaps keeps its message (the good-check count starts over). Consequences of a down share
// are held back while the share alert is pending or firing. A silence holds posts and reminders until it
// ends, then says so.
import type { Evaluation } from './conditions.js';
import {
  ALERT_KEYS,
  type AlertEvent,
  type AlertKey,
  type AlertRecord,
  type AlertSettings,
  type AlertSeverity,
  type Condition,
  INHIBITED_BY_SHARE,
  type Silence,
} from './types.js';

export interface MachineState {
  alerts: Partial<Record<AlertKey, AlertRecord>>;
  silences: Partial<Record<AlertKey, Silence>>;
}

export interface StepResult {
  state: MachineState;
  events: AlertEvent[];
  /** Keys held back by the share alert this time. */
  inhibited: AlertKey[];
}

const RANK: Record<AlertSeverity, number> = { warn: 1, crit: 2 };

export function previousSeverities(state: MachineState): Partial<Record<AlertKey, AlertSeverity>> {
  const out: Partial<Record<AlertKey, AlertSeverity>> = {};
  for (const [k, a] of Object.entries(state.alerts)) if (a) out[k as AlertKey] = a.severity;
  return out;
}

export function step(prev: MachineState, ev: Evaluation, now: number, settings: AlertSettings): StepResult {
  const at = new Date(now).toISOString();
  const alerts = structuredClone(prev.alerts);
  const silences = structuredClone(prev.silences);
  const events: AlertEvent[] = [];
  const inhibited: AlertKey[] = [];

  for (const key of ALERT_KEYS) {
    const s = silences[key];
    if (!s || Date.parse(s.until) > now) continue;
    delete silences[key];
    const a = alerts[key];
    if (a?.phase === 'firing' && !a.announced) {
      announce(a, at);
      events.push({ type: 'fired', alert: structuredClone(a), afterSilence: true });
    } else {
      events.push({ type: 'silence_ended', silence: s, alert: a?.phase === 'firing' ? structuredClone(a) : null });
    }
  }

  const conditions = new Map(ev.conditions.map((c) => [c.key, c]));
  const shareActive = conditions.has('share') || alerts.share?.phase === 'firing';
  for (const key of ALERT_KEYS) {
    if (ev.unknown.includes(key)) continue;
    const c = conditions.get(key);
    let a = alerts[key];
    if (shareActive && INHIBITED_BY_SHARE.includes(key)) {
      if (c || a) inhibited.push(key);
      if (a?.phase === 'pending') delete alerts[key];
      continue;
    }
    if (c) {
      if (!a) {
        a = fresh(c, at);
        alerts[key] = a;
      } else {
        a.bad += 1;
        a.good = 0;
        Object.assign(a, { severity: c.severity, variant: c.variant, facts: c.facts, details: c.details });
      }
      const silenced = silences[key] !== undefined;
      if (a.phase === 'pending') {
        if (a.bad < settings.forChecks) continue;
        a.phase = 'firing';
        a.firedAt = at;
        if (silenced) continue;
        announce(a, at);
        events.push({ type: 'fired', alert: structuredClone(a), afterSilence: false });
      } else if (a.announced) {
        if (a.severity !== a.shownSeverity || a.variant !== a.shownVariant) {
          const escalated = RANK[a.severity] > RANK[a.shownSeverity ?? a.severity];
          a.shownSeverity = a.severity;
          a.shownVariant = a.variant;
          a.edits += 1;
          events.push({ type: 'changed', alert: structuredClone(a), escalated });
        } else if (!silenced && now - Date.parse(a.lastNoticeAt ?? at) >= settings.repeatMs) {
          a.reminders += 1;
          a.lastNoticeAt = at;
          events.push({ type: 'reminder', alert: structuredClone(a) });
        }
      }
      continue;
    }
    if (!a) continue;
    if (a.phase === 'pending') {
      delete alerts[key];
      continue;
    }
    a.good += 1;
    a.bad = 0;
    if (a.good < settings.clearChecks) continue;
    delete alerts[key];
    if (a.announced) events.push({ type: 'resolved', alert: a, at });
  }
  return { state: { alerts, silences }, events, inhibited };
}

/** Sets (or replaces) a silence on `key`. */
export function silence(prev: MachineState, key: AlertKey, until: number, by: string): MachineState {
  const next = structuredClone(prev);
  next.silences[key] = {
    key,
    until: new Date(until).toISOString(),
    by,
    incident: prev.alerts[key]?.incident ?? null,
  };
  return next;
}

function fresh(c: Condition, at: string): AlertRecord {
  return {
    key: c.key,
    incident: `${c.key}@${at}`,
    phase: 'pending',
    bad: 1,
    good: 0,
    severity: c.severity,
    variant: c.variant,
    facts: c.facts,
    details: c.details,
    since: at,
    firedAt: null,
    announced: false,
    shownSeverity: null,
    shownVariant: null,
    lastNoticeAt: null,
    reminders: 0,
    edits: 0,
  };
}

function announce(a: AlertRecord, at: string): void {
  a.announced = true;
  a.shownSeverity = a.severity;
  a.shownVariant = a.variant;
  a.lastNoticeAt = at;
}

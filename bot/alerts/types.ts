// The alert model shared by the conditions, the state machine, the store and the views.

export const ALERT_KEYS = ['share', 'disk', 'mirror', 'drift', 'planning', 'outbox', 'hot'] as const;
export type AlertKey = (typeof ALERT_KEYS)[number];

/** Alerts that are consequences of a down share: held back while the share alert is pending or firing. */
export const INHIBITED_BY_SHARE: readonly AlertKey[] = ['mirror', 'drift', 'planning'];

export type AlertSeverity = 'warn' | 'crit';

export type Facts = Record<string, string | number | boolean | null>;

/** What one check says about one key: the condition holds, with these facts. */
export interface Condition {
  key: AlertKey;
  severity: AlertSeverity;
  /** A change of variant (e.g. the share going from stub to hung) edits the message like a severity change. */
  variant: string;
  facts: Facts;
  details: string[];
}

export interface AlertRecord {
  key: AlertKey;
  /** Stable id of this incident: `<key>@<first bad check>`; dedupe keys of its messages derive from it. */
  incident: string;
  phase: 'pending' | 'firing';
  /** Consecutive bad / good checks. */
  bad: number;
  good: number;
  severity: AlertSeverity;
  variant: string;
  facts: Facts;
  details: string[];
  /** First bad check of the incident. */
  since: string;
  firedAt: string | null;
  /** The incident's message was queued (false while it fired under a silence). */
  announced: boolean;
  /** Severity and variant the message shows. */
  shownSeverity: AlertSeverity | null;
  shownVariant: string | null;
  /** Last post or reminder, for the repeat interval. */
  lastNoticeAt: string | null;
  reminders: number;
  /** Edits so far (each edit's dedupe key carries its number). */
  edits: number;
}

export interface Silence {
  key: AlertKey;
  until: string;
  by: string;
  /** The incident it was set on, when one was firing (its thread gets the notice when the silence ends). */
  incident: string | null;
}

export interface AlertSettings {
  forChecks: number;
  clearChecks: number;
  repeatMs: number;
  diskMarginBytes: number;
}

/** What happened in one ingest, for the views to turn into Slack messages. */
export type AlertEvent =
  | { type: 'fired'; alert: AlertRecord; afterSilence: boolean }
  | { type: 'changed'; alert: AlertRecord; escalated: boolean }
  | { type: 'reminder'; alert: AlertRecord }
  | { type: 'resolved'; alert: AlertRecord; at: string }
  | { type: 'silence_ended'; silence: Silence; alert: AlertRecord | null };

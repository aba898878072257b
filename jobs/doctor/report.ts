// The doctor's report: the contract shared by `ytm doctor --json`, the Slack doctor view and the alerts.
// Finding codes are stable (DESIGN.md); severities are their defaults.

import type { AuditHead } from '../../lib/audit/log.js';

export type Severity = 'info' | 'warn' | 'crit';
export type DoctorStatus = 'ok' | 'warn' | 'crit';
export type ShareState = 'up' | 'stub' | 'unmounted' | 'degraded' | 'hung' | 'unconfigured';

export const FINDING_SEVERITY = {
  SHARE_UNCONFIGURED: 'warn',
  SHARE_STUB: 'warn',
  SHARE_UNMOUNTED: 'warn',
  SHARE_DEGRADED: 'warn',
  SHARE_HUNG: 'warn',
  DISK_WARN: 'warn',
  DISK_STOP: 'crit',
  BROKEN_SYMLINK: 'warn',
  VAULT_MISSING: 'warn',
  VAULT_SENTINEL_MISSING: 'warn',
  VAULT_ABSOLUTE_SYMLINK: 'warn',
  PLANNING_FALLBACK: 'warn',
  MIRROR_STALE: 'warn',
  MIRROR_FAILED: 'warn',
  OUTBOX_PENDING: 'warn',
  STALE_TEMP_FILES: 'warn',
  HOT_RUN_SYMLINK_BROKEN: 'crit',
  HOT_DRAFT_MISSING: 'crit',
  HOT_POINTS_TO_SHARE: 'crit',
  VIDEO_RUN_MISSING: 'info',
  // Added beyond DESIGN's table: an input the doctor could not read (malformed CSV row, status.json), and a
  // check that did not finish inside the doctor's time budget.
  UNREADABLE_INPUT: 'warn',
  CHECK_INCOMPLETE: 'warn',
} as const satisfies Record<string, Severity>;

export type FindingCode = keyof typeof FINDING_SEVERITY;

/** Items shown per finding in text and Slack; the JSON report holds them all. */
export const MAX_EXAMPLES = 5;

export interface Finding {
  code: FindingCode;
  severity: Severity;
  count: number;
  message: string;
  /**
   * Every item, each a short human-readable line (usually a path relative to its root). Text and Slack show
   * MAX_EXAMPLES of them (jobs/doctor/findings.ts shownExamples) and say where the full list is.
   */
  examples: string[];
  /** What to do: a command only while it is available (jobs/doctor/advice.ts), otherwise the manual step. */
  advice?: string;
  /** Items (episodes) another finding reports too: one cause, counted once in the headline. */
  sameCause?: { code: FindingCode; items: string[] };
  /** Optional per-area or per-kind breakdown, e.g. { 'video/input': 3 }. */
  breakdown?: Record<string, number>;
}

export interface DoctorReport {
  schema: 'ytm.ops.doctor.v1';
  generatedAt: string;
  host: string;
  durationMs: number;
  status: DoctorStatus;
  /** 0 ok, 1 warn, 2 crit, 3 could not check. */
  exitCode: 0 | 1 | 2 | 3;
  share: {
    state: ShareState;
    root: string | null;
    reason: string | null;
    fsType: string | null;
    /** Guard children stuck on a share root (at most one per root: see lib/share/probe-lease.ts). */
    stuckProbes: StuckProbe[];
  };
  disk: {
    path: string;
    freeBytes: number | null;
    totalBytes: number | null;
    warnBytes: number;
    stopBytes: number;
  };
  planning: { configured: string | null; effective: string; fallback: boolean };
  counts: {
    channels: number;
    episodes: number;
    hot: number;
    posted: number;
    frozen: number;
    symlinksScanned: number;
    backupLinks: number;
  };
  /** From the mirror's reports (jobs/doctor/mirror.ts); the alerts read `mirror.drift`. Always set by runDoctor
   * (optional only so hand-built reports in tests and views need not carry it). */
  mirror?: MirrorHealth;
  findings: Finding[];
  reportPath: string | null;
}

export interface MirrorHealth {
  /** The newest run (`run:true` report), skipped runs included. */
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastResult: 'ok' | 'failed' | 'skipped' | 'over-limit' | null;
  /** The newest dry run's counts (rsync -n): what a run would change in the vault. */
  drift: { created: number; updated: number; deleted: number; bytes: number; measuredAt: string } | null;
}

export interface StuckProbe {
  root: string;
  op: string;
  pid: number;
  /** ISO time the child was handed its op. */
  since: string;
  /** Linux scheduler state ('D' while blocked on the mount), null where unknown. */
  procState: string | null;
}

/** The report as saved under logs/ops/doctor/: it also anchors the audit log's head (see `ytm audit`). */
export type DoctorReportFile = DoctorReport & { auditHead: AuditHead | null };

/** Job events on stdout when a machine caller passes --events (one JSON object per line). */
export type DoctorEvent =
  | { type: 'progress'; stage: string; message: string }
  | { type: 'result'; exitCode: number; data: DoctorReport };

import { hostname } from 'node:os';
import type { Config } from '../../lib/config.js';
import { reportDir, resolvePaths } from '../../lib/paths.js';
import { checkShare } from '../../lib/share/check.js';
import { listProbeLeases } from '../../lib/share/probe-lease.js';
import { checkDisk } from '../doctor/disk.js';
import { runDoctor } from '../doctor/index.js';
import { checkMirror } from '../doctor/mirror.js';
import { checkOutbox } from '../doctor/outbox.js';
import { checkPlanningRoot } from '../doctor/planning-root.js';
import type { DoctorReport, Finding, FindingCode, MirrorHealth, StuckProbe } from '../doctor/report.js';
import { shareFindings } from '../doctor/share.js';
import { type Drift, driftOf } from './drift.js';
import { newestDoctorReport } from './last-report.js';

// One snapshot of the alert conditions (`ytm monitor --json`), cheap enough for every 60 s: the share probe
// (through its probe lease: never a second child on a stuck share), free disk, the mirror's run reports, the
// outbox listing and the planning root. The Hot-asset checks walk the whole workspace, so they come from the
// newest doctor report, refreshed by a full doctor run in this child once it is older than
// YTM_MONITOR_DOCTOR_EVERY_MIN.

export const MONITOR_SCHEMA = 'ytm.ops.monitor.v1';

/** The finding codes the alerts are made from. */
export const ALERT_CODES: readonly FindingCode[] = [
  'SHARE_STUB',
  'SHARE_UNMOUNTED',
  'SHARE_DEGRADED',
  'SHARE_HUNG',
  'DISK_WARN',
  'DISK_STOP',
  'MIRROR_STALE',
  'MIRROR_FAILED',
  'PLANNING_FALLBACK',
  'OUTBOX_PENDING',
  'HOT_RUN_SYMLINK_BROKEN',
  'HOT_DRAFT_MISSING',
  'HOT_POINTS_TO_SHARE',
];

export interface MonitorSnapshot {
  schema: typeof MONITOR_SCHEMA;
  checkedAt: string;
  host: string;
  durationMs: number;
  share: {
    state: DoctorReport['share']['state'];
    root: string | null;
    reason: string | null;
    stuckProbes: StuckProbe[];
  };
  disk: DoctorReport['disk'];
  planning: DoctorReport['planning'];
  /** Findings with an ALERT_CODES code, in the doctor's format. */
  findings: Finding[];
  drift: Drift | null;
  /** The doctor report the Hot checks (and drift) come from; `ranNow` when this snapshot ran it. */
  doctor: { generatedAt: string; status: DoctorReport['status']; reportPath: string | null; ranNow: boolean } | null;
  /** Checks that failed (named); their conditions are unknown this time, not cleared. */
  incomplete: string[];
}

const isAlertCode = (f: Finding) => ALERT_CODES.includes(f.code);
const isHot = (f: Finding) => f.code.startsWith('HOT_');

export async function takeSnapshot(config: Config, now = Date.now()): Promise<MonitorSnapshot> {
  const paths = resolvePaths(config);
  const last = await newestDoctorReport(reportDir(paths, 'doctor'));
  const every = config.YTM_MONITOR_DOCTOR_EVERY_MIN;
  if (every > 0 && (!last || now - Date.parse(last.generatedAt) >= every * 60_000)) {
    const report = await runDoctor(config, { now });
    return {
      schema: MONITOR_SCHEMA,
      checkedAt: new Date(now).toISOString(),
      host: hostname(),
      durationMs: Date.now() - now,
      share: {
        state: report.share.state,
        root: report.share.root,
        reason: report.share.reason,
        stuckProbes: report.share.stuckProbes,
      },
      disk: report.disk,
      planning: report.planning,
      findings: report.findings.filter(isAlertCode),
      drift: driftOf(report),
      doctor: { generatedAt: report.generatedAt, status: report.status, reportPath: report.reportPath, ranNow: true },
      incomplete: report.findings.filter((f) => f.code === 'CHECK_INCOMPLETE').flatMap((f) => f.examples),
    };
  }

  const share = await checkShare({
    root: paths.sharedRoot,
    namespace: paths.namespace,
    mountRequired: config.YTM_SHARED_STORAGE_MOUNT_REQUIRED,
    stateDir: paths.stateDir,
    timeoutMs: config.YTM_SHARE_PROBE_TIMEOUT_MS,
  });
  const incomplete: string[] = [];
  const guard = async <T>(name: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      incomplete.push(`${name}: ${(err as Error).message}`);
      return fallback;
    }
  };
  const noDisk: DoctorReport['disk'] = {
    path: paths.workspaceRoot,
    freeBytes: null,
    totalBytes: null,
    warnBytes: config.YTM_DISK_WARN_GIB * 1024 ** 3,
    stopBytes: config.YTM_DISK_STOP_GIB * 1024 ** 3,
  };
  const [disk, mirror, outbox, planning] = await Promise.all([
    guard('disk', () => checkDisk(paths.workspaceRoot, config), { disk: noDisk, findings: [] as Finding[] }),
    guard<{ findings: Finding[]; mirror: MirrorHealth | null }>(
      'mirror',
      () => checkMirror(paths.opsLogsDir, config.YTM_MIRROR_STALE_MIN, now),
      {
        findings: [] as Finding[],
        mirror: null,
      },
    ),
    guard(
      'outbox',
      () => checkOutbox(config, paths.stateDir, paths.namespace, share.stubVaultLinkTarget ?? null),
      [] as Finding[],
    ),
    guard('planning', () => checkPlanningRoot(config, paths, share), {
      planning: { configured: paths.planningConfigured, effective: paths.planningLocal, fallback: false },
      findings: [] as Finding[],
    }),
  ]);
  // Listed after the probe: a probe that got stuck just now is counted too.
  const stuckProbes = (await listProbeLeases(paths.stateDir).catch(() => []))
    .filter((l) => l.status === 'stuck')
    .map((l) => ({ root: l.root, op: l.op, pid: l.pid, since: l.since, procState: l.procState ?? null }));
  return {
    schema: MONITOR_SCHEMA,
    checkedAt: new Date(now).toISOString(),
    host: hostname(),
    durationMs: Date.now() - now,
    share: {
      state: share.state,
      root: paths.sharedRoot,
      reason: share.state === 'up' ? null : share.reason,
      stuckProbes,
    },
    disk: disk.disk,
    planning: planning.planning,
    findings: [
      ...shareFindings(share),
      ...disk.findings,
      ...mirror.findings,
      ...outbox,
      ...planning.findings,
      ...(last?.findings.filter(isHot) ?? []),
    ].filter(isAlertCode),
    // The mirror's own newest dry run; the doctor report's copy only when the reports could not be read.
    drift: mirror.mirror?.drift ?? driftOf(last),
    doctor: last
      ? { generatedAt: last.generatedAt, status: last.status, reportPath: last.reportPath, ranNow: false }
      : null,
    incomplete,
  };
}

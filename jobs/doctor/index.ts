import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { readAuditHead } from '../../lib/audit/log.js';
import type { Config } from '../../lib/config.js';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';
import { leaseFor } from '../../lib/guard/lease.js';
import { abandonGuards, prewarmGuards, releaseWarmGuards, runningGuardOps } from '../../lib/guard/run.js';
import { type Paths, reportDir, resolvePaths } from '../../lib/paths.js';
import { checkShare } from '../../lib/share/check.js';
import { readNetworkMounts } from '../../lib/share/network-mounts.js';
import { listProbeLeases } from '../../lib/share/probe-lease.js';
import type { ShareProbe } from '../../lib/share/state.js';
import { stampOf } from '../engine/stamp.js';
import { knownOutboxRoots } from '../outbox/roots.js';
import { outboxBase } from '../store/target.js';
import { checkDisk } from './disk.js';
import { exitCodeFor, finding, overallStatus, relateSameCause } from './findings.js';
import { checkHot } from './hot.js';
import { scanLinks } from './links.js';
import { checkMirror } from './mirror.js';
import { checkOutbox } from './outbox.js';
import { loadPlanning } from './planning.js';
import { checkPlanningRoot } from './planning-root.js';
import type { DoctorReport, DoctorReportFile, Finding, MirrorHealth } from './report.js';
import { shareFindings } from './share.js';
import { checkStaleTemps } from './temps.js';
import { checkVault } from './vault.js';

// `ytm doctor`: every check, each bounded. Anything that touches the share runs in a guarded child with a
// timeout; the whole run is bounded by YTM_DOCTOR_BUDGET_SEC, after which the report says what is missing
// instead of waiting.

export interface DoctorOptions {
  now?: number;
  onProgress?: (stage: string, message: string) => void;
  writeReport?: boolean;
}

type Partial = {
  findings: Finding[];
  incomplete: string[];
  counts: DoctorReport['counts'];
  disk: DoctorReport['disk'] | null;
  planning: DoctorReport['planning'] | null;
  mirror: MirrorHealth;
};

export async function runDoctor(config: Config, opts: DoctorOptions = {}): Promise<DoctorReport> {
  const started = Date.now();
  const now = opts.now ?? started;
  const paths = resolvePaths(config);
  const progress = opts.onProgress ?? (() => {});
  const timeoutMs = config.YTM_SHARE_PROBE_TIMEOUT_MS;
  const acc: Partial = {
    findings: [],
    incomplete: [],
    counts: { channels: 0, episodes: 0, hot: 0, posted: 0, frozen: 0, symlinksScanned: 0, backupLinks: 0 },
    disk: null,
    planning: null,
    mirror: { lastRunAt: null, lastSuccessAt: null, lastResult: null, drift: null },
  };
  const pending = new Set<string>();
  const stage = async (name: string, fn: () => Promise<void>) => {
    pending.add(name);
    try {
      await fn();
    } catch (err) {
      acc.incomplete.push(`${name}: ${(err as Error).message}`);
    } finally {
      pending.delete(name);
      progress(name, 'done');
    }
  };

  let share: ShareProbe = {
    state: 'hung',
    reason: 'not probed before the time budget ran out',
    root: paths.sharedRoot ?? '',
    base: paths.sharedBase,
    isMountpoint: null,
    checkedAt: new Date(now).toISOString(),
  };
  const abort = new AbortController();
  const work = (async () => {
    progress('share', `probing ${paths.sharedRoot ?? '(not configured)'}`);
    const started = checkShare({
      root: paths.sharedRoot,
      namespace: paths.namespace,
      mountRequired: config.YTM_SHARED_STORAGE_MOUNT_REQUIRED,
      stateDir: paths.stateDir,
      timeoutMs,
    });
    // Children for the steps after the probe start while it runs (see prewarmGuards).
    prewarmGuards(2);
    const probe = started.then((p) => {
      share = p;
      acc.findings.push(...shareFindings(p));
      progress('share', p.state);
      return p;
    });
    // Local work starts at once; only what depends on the share's state waits for the probe.
    await Promise.all([
      stage('disk', async () => {
        const d = await checkDisk(paths.workspaceRoot, config);
        acc.disk = d.disk;
        acc.findings.push(...d.findings);
      }),
      stage('mirror', async () => {
        const m = await checkMirror(paths.opsLogsDir, config.YTM_MIRROR_STALE_MIN, now);
        acc.findings.push(...m.findings);
        acc.mirror = m.mirror;
      }),
      stage('links+hot', () => linksAndHot(config, paths, probe, acc, abort.signal)),
      stage('vault', async () => {
        const p = await probe;
        if (p.state !== 'up' || !paths.vaultRoot) return;
        const v = await checkVault(paths.vaultRoot, timeoutMs, leaseFor(paths, paths.vaultRoot));
        acc.findings.push(...v.findings);
        if (v.incomplete) acc.incomplete.push(v.incomplete);
      }),
      stage('outbox', async () => {
        const p = await probe;
        acc.findings.push(
          ...(await checkOutbox(config, paths.stateDir, paths.namespace, p.stubVaultLinkTarget ?? null)),
        );
      }),
      stage('temps', async () => {
        const p = await probe;
        const roots = await knownOutboxRoots(config, paths.stateDir, p.stubVaultLinkTarget ?? null);
        const t = await checkStaleTemps({
          shareBase: p.state === 'up' ? paths.sharedBase : null,
          outboxBases: roots.map((r) => outboxBase(r, paths.namespace)),
          timeoutMs: timeoutMs * 2,
        });
        acc.findings.push(...t.findings);
        if (t.incomplete) acc.incomplete.push(t.incomplete);
      }),
    ]);
  })();

  const budgetMs = config.YTM_DOCTOR_BUDGET_SEC * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    work.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), Math.max(0, budgetMs - (Date.now() - started)));
    }),
  ]);
  clearTimeout(timer);
  releaseWarmGuards();
  if (timedOut) {
    abort.abort();
    const cut = runningGuardOps();
    acc.incomplete.push(
      `time budget of ${config.YTM_DOCTOR_BUDGET_SEC}s ran out during: ${[...pending].join(', ') || 'share probe'}` +
        (cut.length > 0 ? `; cut short: ${cut.join('; ')}` : ''),
    );
    // Children still on the share are given up (their leases marked stuck), so the count below includes them.
    await abandonGuards();
  }
  const stuckProbes = (await listProbeLeases(paths.stateDir).catch(() => []))
    .filter((l) => l.status === 'stuck')
    .map((l) => ({ root: l.root, op: l.op, pid: l.pid, since: l.since, procState: l.procState ?? null }));
  const findings = relateSameCause(acc.findings);
  if (acc.incomplete.length > 0) {
    findings.push(finding('CHECK_INCOMPLETE', acc.incomplete.length, 'some checks could not finish', acc.incomplete));
  }
  findings.sort((a, b) => rank(b) - rank(a) || (a.code < b.code ? -1 : 1));
  const status = overallStatus(findings);
  const report: DoctorReport = {
    schema: 'ytm.ops.doctor.v1',
    generatedAt: new Date(now).toISOString(),
    host: hostname(),
    durationMs: Date.now() - started,
    status,
    exitCode: exitCodeFor(status, acc.incomplete.length > 0),
    share: {
      state: share.state,
      root: paths.sharedRoot,
      reason: share.state === 'up' ? null : share.reason,
      fsType: share.fsType ?? null,
      stuckProbes,
    },
    disk: acc.disk ?? {
      path: paths.workspaceRoot,
      freeBytes: null,
      totalBytes: null,
      warnBytes: config.YTM_DISK_WARN_GIB * 1024 ** 3,
      stopBytes: config.YTM_DISK_STOP_GIB * 1024 ** 3,
    },
    planning: acc.planning ?? { configured: paths.planningConfigured, effective: paths.planningLocal, fallback: false },
    counts: acc.counts,
    mirror: acc.mirror,
    findings,
    reportPath: null,
  };
  if (opts.writeReport !== false) report.reportPath = await saveReport(paths, report);
  return report;
}

async function linksAndHot(
  config: Config,
  paths: Paths,
  probe: Promise<ShareProbe>,
  acc: Partial,
  signal: AbortSignal,
): Promise<void> {
  const timeoutMs = config.YTM_SHARE_PROBE_TIMEOUT_MS;
  const linkScan = scanLinks(
    paths.workspaceRoot,
    paths.sharedRoot,
    probe.then((p) => p.state),
    {
      shareTimeoutMs: timeoutMs * 2,
      signal,
      ...(paths.sharedRoot ? { lease: leaseFor(paths, paths.sharedRoot) } : {}),
      networkMounts: readNetworkMounts(timeoutMs),
    },
  );
  linkScan.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
  const planning = await checkPlanningRoot(config, paths, await probe);
  acc.planning = planning.planning;
  acc.findings.push(...planning.findings);
  const [links, plan] = await Promise.all([
    linkScan,
    loadPlanning(
      planning.planning.effective,
      paths.workspaceRoot,
      leaseFor(paths, planning.planning.effective),
      timeoutMs,
    ),
  ]);
  acc.findings.push(...links.findings);
  if (links.incomplete) acc.incomplete.push(links.incomplete);
  if (plan.incomplete) acc.incomplete.push(plan.incomplete);
  acc.counts.symlinksScanned = links.scanned;
  acc.counts.backupLinks = links.backupLinks;
  acc.counts.channels = plan.channels;
  acc.counts.episodes = plan.episodes.length;
  acc.counts.posted = plan.episodes.filter((e) => e.posted).length;
  acc.counts.frozen = plan.episodes.filter((e) => e.frozen).length;
  acc.counts.hot = plan.episodes.length - acc.counts.posted - acc.counts.frozen;
  const hot = await checkHot(plan.episodes, paths, links.links, links.runsListing, links.networkRoots);
  acc.findings.push(...hot.findings);
  if (hot.incomplete) acc.incomplete.push(hot.incomplete);
  const unreadable = [...plan.unreadable, ...hot.unreadable];
  if (unreadable.length > 0) {
    acc.findings.push(
      finding(
        'UNREADABLE_INPUT',
        unreadable.length,
        `${unreadable.length} input(s) could not be read; the rest of the report is complete`,
        unreadable,
      ),
    );
  }
}

function rank(f: Finding): number {
  return f.severity === 'crit' ? 2 : f.severity === 'warn' ? 1 : 0;
}

async function saveReport(paths: Paths, report: DoctorReport): Promise<string | null> {
  const file = path.join(reportDir(paths, 'doctor'), `doctor__${stampOf(new Date(report.generatedAt))}.json`);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    // The audit head goes into the file only: an anchor outside the state dir that `ytm audit` checks.
    const auditHead = await readAuditHead(paths.stateDir).catch(() => null);
    const saved: DoctorReportFile = { ...report, reportPath: file, auditHead };
    await writeJsonAtomic(file, saved);
    return file;
  } catch {
    // A full disk must not stop the doctor from reporting (it is often why the doctor is run).
    return null;
  }
}

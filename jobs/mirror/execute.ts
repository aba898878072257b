// Applying the mirror: under the lease, pin the destination (the share root stays the mounted share, the
// vault stays on its file system), write the sentinel when bootstrapping, refuse delete-sync without it, then
// run each pass with rsync (under nice, --timeout, --max-delete on the main pass) and write the run report.
// A pass that fails does not stop the later ones (as in the predecessor); a destination that is gone does.
import path from 'node:path';
import { appendAudit } from '../../lib/audit/log.js';
import { errCode } from '../../lib/fs/errors.js';
import { treeSyncArgs } from '../../lib/rsync/args.js';
import { transferComplete } from '../../lib/rsync/exit.js';
import { addCounts, emptyCounts, type ItemCounts } from '../../lib/rsync/itemize.js';
import { runRsync } from '../../lib/rsync/run.js';
import { rsyncSettings } from '../../lib/rsync/settings.js';
import { probeRsync } from '../../lib/rsync/version.js';
import { openDestinationRoot } from '../../lib/share/destination-root.js';
import type { ActionOutcome, JobContext } from '../engine/types.js';
import { type MirrorAction, MirrorActionSchema } from './action.js';
import { acquireMirrorLease } from './lease.js';
import {
  freshStamp,
  type MirrorCommand,
  type MirrorOutcome,
  type MirrorReportInput,
  type MirrorStep,
  stepLogPaths,
  writeMirrorReport,
} from './report.js';
import { sentinelExists, writeSentinel } from './sentinel.js';

interface RunResult {
  steps: MirrorStep[];
  commands: MirrorCommand[];
  counts: ItemCounts;
  returncode: number;
  outcome: MirrorOutcome;
  reason: string | null;
  sentinel: boolean;
}

async function runPasses(
  a: MirrorAction,
  ctx: JobContext,
  stamp: string,
  onRsync: (pid: number, pass: string) => void,
): Promise<RunResult> {
  const settings = rsyncSettings(ctx.config);
  const { caps } = await probeRsync(settings.bin);
  const steps: MirrorStep[] = [];
  const commands: MirrorCommand[] = [];
  let counts = emptyCounts();
  let returncode = 0;
  const problems: string[] = [];
  let overLimit = false;
  const root = await openDestinationRoot(a.pinRoot, { mountpoint: a.mountpoint });
  if (a.bootstrapDest) {
    if (path.resolve(a.dest) !== root.root) await root.mkdirBelow(a.dest);
    if (!(await sentinelExists(a.dest))) await writeSentinel(a.dest, a.repoRoot, ctx.now());
  }
  let sentinel = await sentinelExists(a.dest);
  let stopped: string | null = null;
  for (let i = 0; i < a.passes.length; i++) {
    const pass = a.passes[i] as MirrorAction['passes'][number];
    if (stopped !== null || ctx.signal.aborted) {
      steps.push({ name: pass.name, skipped: true, reason: stopped ?? 'cancelled' });
      continue;
    }
    if (pass.delete && !sentinel) {
      steps.push({ name: pass.name, skipped: true, reason: 'delete-sync refused: the vault sentinel is missing' });
      problems.push(`${pass.name}: the vault sentinel is missing, delete-sync refused`);
      returncode ||= 1;
      continue;
    }
    try {
      await root.assertStillThere();
      if (path.resolve(pass.dest) !== root.root) await root.mkdirBelow(path.dirname(pass.dest));
    } catch (err) {
      // The destination is gone or not answering: no later pass runs against it.
      stopped = `stopped: ${errCode(err) ?? 'error'}: ${(err as Error).message}`;
      steps.push({ name: pass.name, skipped: true, reason: stopped });
      problems.push(`${pass.name}: ${stopped}`);
      returncode ||= 1;
      continue;
    }
    const args = treeSyncArgs(settings, caps, {
      ...pass,
      maxDelete: pass.delete ? a.maxDelete : null,
      dryRun: false,
    });
    const logs = stepLogPaths(ctx.paths, stamp, pass.name);
    ctx.progress({ stage: 'pass', action: 0, message: `${i + 1}/${a.passes.length} ${pass.name}` });
    const r = await runRsync(settings, args, {
      signal: ctx.signal,
      withSizes: caps.outFormat,
      srcRoot: pass.src,
      stdoutLog: logs.stdout,
      stderrLog: logs.stderr,
      onSpawn: (pid) => onRsync(pid, pass.name),
    });
    commands.push({ name: pass.name, ...(i > 0 ? { dest_dir: pass.dest } : {}), enabled: true, cmd: r.argv });
    steps.push({
      name: pass.name,
      returncode: r.exitCode,
      duration_sec: Math.round(r.durationMs) / 1000,
      outcome: r.outcome,
      message: r.message,
      counts: r.counts,
      stdout_path: logs.stdout,
      stderr_path: logs.stderr,
      stdout_tail: r.stdoutTail,
      stderr_tail: r.stderrTail,
    });
    counts = addCounts(counts, r.counts);
    if (r.outcome === 'over-limit') overLimit = true;
    if (!transferComplete(r.outcome)) {
      returncode ||= r.exitCode ?? 1;
      const tail = r.stderrTail.trim().split('\n').slice(-2).join(' ');
      problems.push(`${pass.name}: ${r.message}${tail ? ` (${tail})` : ''}`);
    }
    // The sentinel is excluded from every pass; its absence now would mean something else removed it.
    sentinel = await sentinelExists(a.dest).catch(() => false);
  }
  const outcome: MirrorOutcome = overLimit ? 'over-limit' : problems.length > 0 ? 'failed' : 'ok';
  return {
    steps,
    commands,
    counts,
    returncode,
    outcome,
    reason: problems.length > 0 ? problems.join('; ') : null,
    sentinel,
  };
}

export async function executeMirror(action: unknown, ctx: JobContext, planId: string): Promise<ActionOutcome> {
  const a = MirrorActionSchema.parse(action);
  const at = ctx.now();
  const stamp = await freshStamp(ctx.paths, at);
  const base: Omit<
    MirrorReportInput,
    'steps' | 'commands' | 'returncode' | 'counts' | 'outcome' | 'reason' | 'sentinelExists'
  > = {
    run: true,
    at,
    srcRoot: a.src,
    destRoot: a.dest,
    repoRoot: a.repoRoot,
    bootstrapDest: a.bootstrapDest,
    settings: rsyncSettings(ctx.config),
    planId,
  };
  const lease = await acquireMirrorLease(ctx.paths.stateDir, planId);
  if (!lease.ok) {
    const reason = `skipped: ${lease.why}`;
    const report = await writeMirrorReport(ctx.paths, stamp, {
      ...base,
      sentinelExists: true,
      commands: [],
      steps: [],
      returncode: 0,
      counts: emptyCounts(),
      outcome: 'skipped',
      reason,
    });
    return { status: 'skipped', message: reason, details: { report, outcome: 'skipped' } };
  }
  const previous = lease.tookOverFrom;
  if (previous) {
    await appendAudit(ctx.paths.stateDir, {
      kind: 'mirror.lease_takeover',
      actor: ctx.actor,
      planId,
      data: { previous: previous as never },
    });
  }
  const extra = previous ? { previous_run: { interrupted: true, lease: previous } } : {};
  try {
    let r: RunResult;
    try {
      r = await runPasses(a, ctx, stamp, (pid, pass) => void lease.held.setRsync(pid, pass).catch(() => {}));
    } catch (err) {
      const reason = `${errCode(err) ?? 'error'}: ${(err as Error).message}`;
      r = {
        steps: [],
        commands: [],
        counts: emptyCounts(),
        returncode: 1,
        outcome: 'failed',
        reason,
        sentinel: await sentinelExists(a.dest).catch(() => false),
      };
    }
    const report = await writeMirrorReport(ctx.paths, stamp, {
      ...base,
      sentinelExists: r.sentinel,
      commands: r.commands,
      steps: r.steps,
      returncode: r.returncode,
      counts: r.counts,
      outcome: r.outcome,
      reason: r.reason,
      extra,
    });
    const c = r.counts;
    const message = `${r.outcome}: ${c.created} created, ${c.updated} updated, ${c.deleted} deleted, ${c.bytes} bytes${r.reason ? `; ${r.reason}` : ''}`;
    return {
      status: r.outcome === 'ok' ? 'done' : 'failed',
      message,
      details: { report, outcome: r.outcome, counts: { ...c } },
    };
  } finally {
    await lease.held.release();
  }
}

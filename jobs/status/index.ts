// `ytm status [--json]`: the share's state, guard children stuck on a share root (pid and since when), plans
// still waiting or running, and the bot's scheduled jobs (last and next run). Reads only: the share is probed through the probe lease, so while an earlier probe is
// stuck this answers 'hung' at once and adds no child.
import { hostname } from 'node:os';
import { listPlans } from '../../lib/approvals/store.js';
import { formatProblems } from '../../lib/config.js';
import { shortId } from '../../lib/plan/id.js';
import { checkShare } from '../../lib/share/check.js';
import { listProbeLeases } from '../../lib/share/probe-lease.js';
import { stuckLines } from '../doctor/text.js';
import { loadContext } from '../engine/context.js';
import { EXIT_FAILED, EXIT_OK } from '../engine/exit.js';
import { createOutput } from '../engine/output.js';
import { humanDuration } from '../engine/stamp.js';
import type { ParsedCommand } from '../grammar.js';
import { scheduleLines, scheduleStatus } from './schedule.js';

const PENDING = ['awaiting_approval', 'approved', 'running'] as const;

export async function statusCommand(cmd: ParsedCommand): Promise<number> {
  const out = createOutput(cmd);
  const loaded = loadContext();
  if (!loaded.ok) {
    out.result(EXIT_FAILED, { error: 'config', problems: loaded.problems }, formatProblems(loaded.problems));
    return EXIT_FAILED;
  }
  const { config, paths } = loaded.ctx;
  const [share, plans, schedule] = await Promise.all([
    checkShare({
      root: paths.sharedRoot,
      namespace: paths.namespace,
      mountRequired: config.YTM_SHARED_STORAGE_MOUNT_REQUIRED,
      stateDir: paths.stateDir,
      timeoutMs: config.YTM_SHARE_PROBE_TIMEOUT_MS,
    }),
    listPlans(paths.stateDir, { states: [...PENDING] }),
    scheduleStatus(paths.stateDir),
  ]);
  // Listed after the probe: a probe that got stuck just now is counted too.
  const stuckProbes = (await listProbeLeases(paths.stateDir))
    .filter((l) => l.status === 'stuck')
    .map((l) => ({ root: l.root, op: l.op, pid: l.pid, since: l.since, procState: l.procState ?? null }));
  const now = Date.now();
  const pendingPlans = plans.map((p) => ({
    planId: p.planId,
    shortId: shortId(p.planId),
    state: p.state,
    job: p.plan.job,
    summary: p.plan.summary,
    requestedBy: p.requestedBy,
    expiresAt: p.expiresAt,
  }));
  const lines = [
    `ytm status on ${hostname()}`,
    `  share     ${share.state}${share.root ? ` ${share.root}` : ''}${share.state === 'up' ? '' : ` — ${share.reason}`}`,
    ...(stuckProbes.length > 0 ? stuckLines(stuckProbes) : ['  stuck     no probe child stuck on the share']),
    `  plans     ${pendingPlans.length === 0 ? 'none waiting or running' : `${pendingPlans.length} waiting or running`}`,
    ...pendingPlans.map(
      (p) =>
        `            ${p.shortId}  ${p.state.padEnd(17)} ${p.job.padEnd(8)} by ${p.requestedBy}  ${p.state === 'running' ? '' : `expires in ${humanDuration(Date.parse(p.expiresAt) - now)}  `}${p.summary}`,
    ),
    ...scheduleLines(schedule, now),
  ];
  out.result(EXIT_OK, { host: hostname(), share, stuckProbes, pendingPlans, schedule }, lines.join('\n'));
  return EXIT_OK;
}

// Which episodes the archive jobs may touch: posted and NOT frozen, judged exactly as the doctor judges Hot: the
// planning root in effect (lib/paths effectivePlanningRoot, the same fallback to the local copy), the doctor's
// loader (jobs/doctor/planning.ts: the one posted predicate of lib/planning/posted.ts, status.json
// published_lock, the freeze list of lib/planning/freeze.ts). An episode the planning files do not know counts
// as unposted; a freeze list that cannot be read refuses the plan. The local freeze list always counts too.
import path from 'node:path';
import { isInside } from '../../lib/fs/contain.js';
import { leaseFor } from '../../lib/guard/lease.js';
import type { ExistsState, ReadTextResult } from '../../lib/guard/ops.js';
import { prewarmGuards, releaseWarmGuards, runGuarded } from '../../lib/guard/run.js';
import { effectivePlanningRoot } from '../../lib/paths.js';
import { splitEpisodeId } from '../../lib/planning/episode.js';
import { FREEZE_SCHEMA, type FreezeList, parseFreezeList, readFreezeList } from '../../lib/planning/freeze.js';
import type { ShareState } from '../../lib/share/state.js';
import { type Episode, loadPlanning } from '../doctor/planning.js';
import type { JobContext } from '../engine/types.js';
import { probeShare } from '../store/target.js';

export interface Standing {
  posted: boolean;
  frozen: boolean;
  /** May be archived: posted and not frozen. */
  touchable: boolean;
}

export interface Standings {
  of: (episode: string) => Standing;
  /** Why the planning files or the freeze list could not be read (the plan is then refused). */
  problems: string[];
}

export async function openStandings(ctx: JobContext): Promise<Standings> {
  const { paths } = ctx;
  const configured = paths.planningConfigured;
  const onShare = configured !== null && paths.sharedRoot !== null && isInside(paths.sharedRoot, configured);
  // The share is probed only when the planning files live on it. Two children start at once: the probe takes
  // the first (it picks a warm child after its lease check), the step after the probe the second, whose Node
  // start-up would otherwise come after the probe; one nothing used goes at the end.
  const probing = onShare ? probeShare(ctx) : null;
  if (probing) prewarmGuards(2);
  try {
    return await standingsAfterProbe(ctx, onShare, probing ? (await probing).state : 'up');
  } finally {
    if (probing) releaseWarmGuards();
  }
}

async function standingsAfterProbe(ctx: JobContext, onShare: boolean, state: ShareState): Promise<Standings> {
  const { paths } = ctx;
  const timeoutMs = ctx.config.YTM_SHARE_PROBE_TIMEOUT_MS;
  const configured = paths.planningConfigured;
  let configuredIsDir: boolean | null = null;
  if (configured && !(onShare && state !== 'up')) {
    const lease = leaseFor(paths, configured);
    const r = await runGuarded<ExistsState[]>(
      { op: 'exists', paths: [path.join(configured, 'channels')] },
      { timeoutMs, ...(lease ? { lease } : {}) },
    );
    configuredIsDir = r.ok ? r.value[0] === 'exists' : null;
  }
  const planning = effectivePlanningRoot(paths, { state }, configuredIsDir);
  const inUse = planning.root !== paths.planningLocal;
  const [load, localFreeze, usedFreeze] = await Promise.all([
    loadPlanning(planning.root, paths.workspaceRoot, leaseFor(paths, planning.root), timeoutMs),
    readFreezeList(path.join(paths.planningLocal, 'hotset_freeze.json')),
    inUse ? freezeAt(ctx, planning.root, onShare) : null,
  ]);
  const byId = new Map<string, Episode>(load.episodes.map((e) => [e.id, e]));
  const problems = [
    ...(load.incomplete ? [load.incomplete] : []),
    ...load.unreadable.filter((u) => u.startsWith('planning/hotset_freeze.json')),
    ...localFreeze.errors.map((e) => `local planning/hotset_freeze.json: ${e}`),
    ...(usedFreeze?.errors ?? []),
  ];
  return {
    problems,
    of: (episode) => {
      const e = byId.get(episode);
      const parts = splitEpisodeId(episode);
      // The doctor's `frozen` is only set for unposted episodes; a posted one in either freeze list stays too.
      const listed =
        parts !== null &&
        (localFreeze.has(parts.channel, parts.video) || usedFreeze?.has(parts.channel, parts.video) === true);
      const posted = e?.posted === true;
      const frozen = e?.frozen === true || listed;
      return { posted, frozen, touchable: posted && !frozen };
    },
  };
}

/** The freeze list of a planning root other than the local copy (on the share: read in a guarded child). */
async function freezeAt(ctx: JobContext, root: string, onShare: boolean): Promise<FreezeList> {
  const file = path.join(root, 'hotset_freeze.json');
  if (!onShare) return readFreezeList(file);
  const r = await runGuarded<ReadTextResult[]>(
    { op: 'read-text', paths: [file] },
    {
      timeoutMs: ctx.config.YTM_SHARE_PROBE_TIMEOUT_MS,
      ...(leaseFor(ctx.paths, root) ? { lease: leaseFor(ctx.paths, root) } : {}),
    },
  );
  const first = r.ok ? r.value[0] : undefined;
  if (first?.ok) return parseFreezeList(first.text);
  if (first && /ENOENT/.test(first.error)) return parseFreezeList({ schema: FREEZE_SCHEMA, items: [] });
  // Unreadable: every episode counts as frozen (fail closed), and the plan is refused with the reason.
  return {
    items: [],
    errors: [`cannot read ${file}: ${first ? first.error : r.ok ? 'no answer' : r.message}`],
    has: () => true,
  };
}

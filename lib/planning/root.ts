// The planning root every job reads (doctor, store, archive, relink): one resolution, so a job never calls an
// episode unposted from a CSV the doctor has already said is not in effect (PLANNING_FALLBACK).
import path from 'node:path';
import { leaseFor } from '../guard/lease.js';
import type { ExistsState } from '../guard/ops.js';
import { runGuarded } from '../guard/run.js';
import { type EffectivePlanning, effectivePlanningRoot, type Paths, planningOnShare } from '../paths.js';

/**
 * Checks the configured root (its `channels` folder, in a guarded child holding the share's lease when it is on
 * the share; not touched at all while the share is not up) and returns the root in effect.
 */
export async function resolvePlanningRoot(
  paths: Paths,
  share: { state: string },
  timeoutMs: number,
): Promise<EffectivePlanning> {
  const configured = paths.planningConfigured;
  let configuredIsDir: boolean | null = null;
  const onShare = configured !== null && planningOnShare(paths, configured);
  if (configured && !(onShare && share.state !== 'up')) {
    const lease = leaseFor(paths, configured);
    const r = await runGuarded<ExistsState[]>(
      { op: 'exists', paths: [path.join(configured, 'channels')] },
      { timeoutMs, ...(lease ? { lease } : {}) },
    );
    configuredIsDir = r.ok ? r.value[0] === 'exists' : null;
  }
  return effectivePlanningRoot(paths, share, configuredIsDir);
}

/** "the local copy /w/planning (YTM_PLANNING_ROOT is not in effect: the share is down)", for refusals. */
export function describePlanningRoot(planning: EffectivePlanning): string {
  return planning.fallback
    ? `the local copy ${planning.root} (YTM_PLANNING_ROOT is not in effect: ${planning.reason})`
    : planning.root;
}

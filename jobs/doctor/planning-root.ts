import path from 'node:path';
import type { Config } from '../../lib/config.js';
import { isInside } from '../../lib/fs/contain.js';
import { leaseFor } from '../../lib/guard/lease.js';
import type { ExistsState } from '../../lib/guard/ops.js';
import { runGuarded } from '../../lib/guard/run.js';
import { effectivePlanningRoot, type Paths } from '../../lib/paths.js';
import type { ShareProbe } from '../../lib/share/state.js';
import { finding } from './findings.js';
import type { DoctorReport, Finding } from './report.js';

/**
 * The planning root in effect and PLANNING_FALLBACK when it is not the configured one (the doctor and the
 * monitor both use this). A configured root on a share that is down is not touched at all; anything else is
 * checked in a guarded child.
 */
export async function checkPlanningRoot(
  config: Config,
  paths: Paths,
  share: ShareProbe,
): Promise<{ planning: DoctorReport['planning']; findings: Finding[] }> {
  const timeoutMs = config.YTM_SHARE_PROBE_TIMEOUT_MS;
  let configuredIsDir: boolean | null = null;
  const configured = paths.planningConfigured;
  if (configured && !(paths.sharedRoot && isInside(paths.sharedRoot, configured) && share.state !== 'up')) {
    const lease = leaseFor(paths, configured);
    const r = await runGuarded<ExistsState[]>(
      { op: 'exists', paths: [path.join(configured, 'channels')] },
      { timeoutMs, ...(lease ? { lease } : {}) },
    );
    configuredIsDir = r.ok ? r.value[0] === 'exists' : null;
  }
  const eff = effectivePlanningRoot(paths, share, configuredIsDir);
  const planning = { configured: paths.planningConfigured, effective: eff.root, fallback: eff.fallback };
  if (!eff.fallback) return { planning, findings: [] };
  return {
    planning,
    findings: [
      finding(
        'PLANNING_FALLBACK',
        1,
        `YTM_PLANNING_ROOT is not in effect (${eff.reason}); using the local copy, which may diverge from the shared one`,
        [`${paths.planningConfigured} -> ${eff.root}`],
      ),
    ],
  };
}

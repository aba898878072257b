import type { Config } from '../../lib/config.js';
import type { Paths } from '../../lib/paths.js';
import { resolvePlanningRoot } from '../../lib/planning/root.js';
import type { ShareProbe } from '../../lib/share/state.js';
import { finding } from './findings.js';
import type { DoctorReport, Finding } from './report.js';

/**
 * The planning root in effect (lib/planning/root.ts, the one resolution every job uses) and PLANNING_FALLBACK
 * when it is not the configured one; the doctor and the monitor both report it this way.
 */
export async function checkPlanningRoot(
  config: Config,
  paths: Paths,
  share: ShareProbe,
): Promise<{ planning: DoctorReport['planning']; findings: Finding[] }> {
  const eff = await resolvePlanningRoot(paths, share, config.YTM_SHARE_PROBE_TIMEOUT_MS);
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

import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Config } from './config.js';
import { isInside } from './fs/contain.js';
import { sharedBase } from './share/base.js';

// Where everything lives, computed from configuration alone: nothing here touches the share, so it is safe to
// call while the share hangs (outboxRoot only checks a local folder named by the stub's link). Rules follow the predecessor's `paths.py` (python-ops-facts §1.3, §1.4, §2.1).

export const VAULT_SENTINEL = '.ytm_vault_workspaces_root.json';
export const DEFAULT_CAPCUT_DRAFT_ROOT = path.join(
  homedir(),
  'Movies',
  'CapCut',
  'User Data',
  'Projects',
  'com.lveditor.draft',
);
// A neutral folder in the home directory. A factory that used the predecessor's site-specific default sets
// YTM_SHARED_STORAGE_FALLBACK_ROOT to it, so what waits there is still found.
export const LAST_RESORT_OUTBOX = path.join(homedir(), 'ytm-ops-outbox');

export interface Paths {
  repoRoot: string;
  workspaceRoot: string;
  /** `YTM_PLANNING_ROOT` as configured, or null when unset. */
  planningConfigured: string | null;
  /** Local planning root used whenever the configured one cannot be used. */
  planningLocal: string;
  sharedRoot: string | null;
  namespace: string;
  /** `uploads/<ns>` under the share (or `<root>/<ns>` when the root itself is named `uploads`). */
  sharedBase: string | null;
  vaultRoot: string | null;
  capcutDraftRoot: string;
  capcutFallbackRoot: string;
  stateDir: string;
  opsLogsDir: string;
  agentQueueDir: string;
}

export function resolvePaths(c: Config): Paths {
  const workspaceRoot = c.YTM_WORKSPACE_ROOT ?? path.join(c.YTM_REPO_ROOT ?? '', 'workspaces');
  const repoRoot = c.YTM_REPO_ROOT ?? path.dirname(workspaceRoot);
  // The predecessor defaults the namespace to the repo folder name; hosts disagreed (factory_commentary vs
  // youtube_production2), so the README asks every host to pin YTM_SHARED_STORAGE_NAMESPACE.
  const namespace = c.YTM_SHARED_STORAGE_NAMESPACE ?? path.basename(repoRoot);
  const sharedRoot = c.YTM_SHARED_STORAGE_ROOT;
  const rootNamedUploads = sharedRoot !== null && path.basename(sharedRoot) === 'uploads';
  return {
    repoRoot,
    workspaceRoot,
    planningConfigured: c.YTM_PLANNING_ROOT,
    planningLocal: path.join(workspaceRoot, 'planning'),
    sharedRoot,
    namespace,
    sharedBase: sharedRoot ? sharedBase(sharedRoot, namespace) : null,
    vaultRoot:
      c.YTM_VAULT_WORKSPACES_ROOT ?? (sharedRoot && !rootNamedUploads ? path.join(sharedRoot, 'ytm_workspaces') : null),
    capcutDraftRoot: c.YTM_CAPCUT_DRAFT_ROOT ?? c.CAPCUT_DRAFT_ROOT ?? DEFAULT_CAPCUT_DRAFT_ROOT,
    capcutFallbackRoot: path.join(workspaceRoot, 'video', '_capcut_drafts'),
    stateDir: c.YTM_STATE_DIR ?? path.join(homedir(), '.ytm-ops'),
    opsLogsDir: path.join(workspaceRoot, 'logs', 'ops'),
    agentQueueDir: c.LLM_AGENT_QUEUE_DIR ?? path.join(workspaceRoot, 'logs', 'agent_tasks'),
  };
}

export function reportDir(paths: Paths, job: string): string {
  return path.join(paths.opsLogsDir, job);
}

export interface EffectivePlanning {
  root: string;
  fallback: boolean;
  reason: string | null;
}

/**
 * Whether a planning root is on the share. Without case: a root spelled otherwise on a Mac's disk is still on the
 * share and must only be read through a guarded child (the share is not touched to find out).
 */
export function planningOnShare(paths: Paths, root: string): boolean {
  return paths.sharedRoot !== null && isInside(paths.sharedRoot, root, { caseInsensitive: true });
}

/**
 * The planning root in effect. The configured root is used only when it is reachable; a root under a share
 * that is not up is never touched (it may hang), mirroring `paths.planning_root()`.
 */
export function effectivePlanningRoot(
  paths: Paths,
  share: { state: string },
  configuredIsDir: boolean | null,
): EffectivePlanning {
  const configured = paths.planningConfigured;
  if (!configured) return { root: paths.planningLocal, fallback: false, reason: null };
  if (planningOnShare(paths, configured) && share.state !== 'up') {
    return { root: paths.planningLocal, fallback: true, reason: `the share is ${share.state}` };
  }
  if (configuredIsDir !== true) {
    return {
      root: paths.planningLocal,
      fallback: true,
      reason: configuredIsDir === null ? 'could not be checked in time' : 'not a reachable directory',
    };
  }
  return { root: configured, fallback: false, reason: null };
}

/**
 * Where stores go while the share is down (python-ops-facts §1.4), first match wins:
 * YTM_SHARED_STORAGE_FALLBACK_ROOT; the parent of the stub's `ytm_workspaces` link target when that is an
 * existing local directory; the predecessor's last-resort folder.
 */
export function outboxRoot(c: Config, stubVaultLinkTarget: string | null): { root: string; rule: string } {
  if (c.YTM_SHARED_STORAGE_FALLBACK_ROOT) {
    return { root: c.YTM_SHARED_STORAGE_FALLBACK_ROOT, rule: 'YTM_SHARED_STORAGE_FALLBACK_ROOT' };
  }
  if (stubVaultLinkTarget && path.isAbsolute(stubVaultLinkTarget)) {
    const parent = path.dirname(stubVaultLinkTarget);
    if (existsSync(parent) && statSync(parent).isDirectory()) return { root: parent, rule: 'stub ytm_workspaces link' };
  }
  return { root: LAST_RESORT_OUTBOX, rule: 'default fallback folder' };
}

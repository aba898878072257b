import path from 'node:path';
import { runGuarded } from '../guard/run.js';
import { namespaceProblem, sharedBase } from './base.js';
import type { ShareProbe } from './state.js';

export interface CheckShareConfig {
  /** `YTM_SHARED_STORAGE_ROOT`; null or '' → 'unconfigured'. */
  root: string | null;
  namespace: string;
  mountRequired: boolean;
  /** `YTM_STATE_DIR`: holds the probe lease, so only one probe per root is ever in flight (probe-lease.ts). */
  stateDir: string;
  vaultRoot?: string;
  /** Default 3000. */
  timeoutMs?: number;
}

export const DEFAULT_SHARE_PROBE_TIMEOUT_MS = 3000;

/**
 * The share state, probed in a guarded child. Always resolves, with a result: a probe that does not answer in
 * `timeoutMs` is 'hung', and so is the share while an earlier probe of it is still stuck (no new child is then
 * started); a probe that fails (crash, unreadable mount table) is 'degraded' ("treat as offline").
 */
export async function checkShare(cfg: CheckShareConfig): Promise<ShareProbe> {
  const checkedAt = new Date().toISOString();
  const timeoutMs = cfg.timeoutMs ?? DEFAULT_SHARE_PROBE_TIMEOUT_MS;
  if (cfg.root === null || cfg.root.trim() === '') {
    return {
      state: 'unconfigured',
      reason: 'YTM_SHARED_STORAGE_ROOT is not set',
      root: '',
      base: null,
      isMountpoint: null,
      checkedAt,
      ms: 0,
    };
  }
  const root = path.resolve(cfg.root);
  const nsProblem = namespaceProblem(cfg.namespace);
  if (nsProblem) {
    return { state: 'unconfigured', reason: nsProblem, root, base: null, isMountpoint: null, checkedAt, ms: 0 };
  }
  const base = sharedBase(root, cfg.namespace);
  const r = await runGuarded<ShareProbe>(
    {
      op: 'probe-share',
      root,
      namespace: cfg.namespace,
      mountRequired: cfg.mountRequired,
      ...(cfg.vaultRoot ? { vaultRoot: cfg.vaultRoot } : {}),
    },
    { timeoutMs, lease: { stateDir: cfg.stateDir, root } },
  );
  if (r.ok) return { ...r.value, ms: r.ms };
  if (r.reason === 'stuck') {
    return {
      state: 'hung',
      reason: `share probe stuck since ${r.holder.since} (pid ${r.holder.pid}); no new probe started`,
      root,
      base,
      isMountpoint: null,
      checkedAt,
      ms: r.ms,
    };
  }
  if (r.reason === 'timeout') {
    return {
      state: 'hung',
      reason: `share probe timed out after ${timeoutMs}ms`,
      root,
      base,
      isMountpoint: null,
      checkedAt,
      ms: r.ms,
    };
  }
  return {
    state: 'degraded',
    reason: `shared storage check failed (treat as offline): ${r.message}`,
    root,
    base,
    isMountpoint: null,
    checkedAt,
    ms: r.ms,
  };
}

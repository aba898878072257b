import path from 'node:path';
import { runGuarded } from '../guard/run.js';
import { namespaceProblem, sharedBase } from './base.js';
import type { ShareProbe } from './state.js';

export interface CheckShareConfig {
  /** `YTM_SHARED_STORAGE_ROOT`; null or '' → 'unconfigured'. */
  root: string | null;
  namespace: string;
  mountRequired: boolean;
  vaultRoot?: string;
  /** Default 3000. */
  timeoutMs?: number;
}

export const DEFAULT_SHARE_PROBE_TIMEOUT_MS = 3000;

/**
 * The share state, probed in a guarded child. Always resolves, with a result: a probe that does not answer in
 * `timeoutMs` is 'hung'; a probe that fails (crash, unreadable mount table) is 'degraded' ("treat as offline").
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
    { timeoutMs },
  );
  if (r.ok) return { ...r.value, ms: r.ms };
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

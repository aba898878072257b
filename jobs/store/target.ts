// Where a store goes: the share's `uploads/<ns>` when the share is up, else the local outbox's `uploads/<ns>`
// with the predecessor's offline reason (facts §1.4, §3.8). The share is probed in a guarded child.
import path from 'node:path';
import { outboxRoot } from '../../lib/paths.js';
import { checkShare } from '../../lib/share/check.js';
import type { ShareProbe, ShareState } from '../../lib/share/state.js';
import type { JobContext } from '../engine/types.js';

export interface StoreTarget {
  state: ShareState;
  /** The probe's own words. */
  reason: string;
  offline: boolean;
  /** Manifest `offline_reason` (facts §3.8 strings), null when the share is up. */
  offlineReason: string | null;
  configuredRoot: string | null;
  effectiveRoot: string;
  namespace: string;
  /** `uploads/<ns>` under the effective root: where files and manifests go. */
  base: string;
  probe: ShareProbe;
}

export const CHECK_FAILED_REASON = 'shared storage base check failed (treat as offline)';

export function offlineReasonFor(probe: ShareProbe): string | null {
  switch (probe.state) {
    case 'up':
      return null;
    // The probe's own words: the predecessor wrote "smbfs not detected" for any unmounted root, which is wrong
    // for a plain folder and for another file system; the outbox listing shows this reason to people.
    case 'stub':
    case 'degraded':
    case 'unmounted':
      return probe.reason;
    case 'hung':
      return `${CHECK_FAILED_REASON}: ${probe.reason}`;
    default:
      return probe.reason;
  }
}

export async function probeShare(ctx: JobContext): Promise<ShareProbe> {
  return checkShare({
    root: ctx.paths.sharedRoot,
    namespace: ctx.paths.namespace,
    mountRequired: ctx.config.YTM_SHARED_STORAGE_MOUNT_REQUIRED,
    stateDir: ctx.paths.stateDir,
    timeoutMs: ctx.config.YTM_SHARE_PROBE_TIMEOUT_MS,
  });
}

/** Null when the share is not configured at all (a refusal: there is nothing to store to or fall back from). */
export async function resolveStoreTarget(ctx: JobContext): Promise<StoreTarget | null> {
  const probe = await probeShare(ctx);
  if (probe.state === 'unconfigured') return null;
  const ns = ctx.paths.namespace;
  if (probe.state === 'up' && probe.base) {
    return {
      state: probe.state,
      reason: probe.reason,
      offline: false,
      offlineReason: null,
      configuredRoot: ctx.paths.sharedRoot,
      effectiveRoot: probe.root,
      namespace: ns,
      base: probe.base,
      probe,
    };
  }
  const fallback = outboxRoot(ctx.config, probe.stubVaultLinkTarget ?? null);
  return {
    state: probe.state,
    reason: probe.reason,
    offline: true,
    offlineReason: offlineReasonFor(probe),
    configuredRoot: ctx.paths.sharedRoot,
    effectiveRoot: fallback.root,
    namespace: ns,
    base: outboxBase(fallback.root, ns),
    probe,
  };
}

export function outboxBase(root: string, namespace: string): string {
  return path.join(root, 'uploads', namespace);
}

export function manifestsDir(base: string): string {
  return path.join(base, 'manifests', 'shared_sync');
}

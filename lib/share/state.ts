/** Share states, strongest problem first in `probeShareInline`'s order (facts §5.1). */
export type ShareState = 'up' | 'stub' | 'unmounted' | 'degraded' | 'hung' | 'unconfigured';

export interface ShareProbeInput {
  /** `YTM_SHARED_STORAGE_ROOT` (absolute; a relative path is resolved against the cwd). */
  root: string;
  /** `YTM_SHARED_STORAGE_NAMESPACE`. */
  namespace: string;
  /** When true, a root that is not a mountpoint is 'unmounted'. */
  mountRequired: boolean;
  /** Optional vault workspaces root; when given and the share is up, `vaultRootExists` is reported (informational). */
  vaultRoot?: string;
}

export interface ShareProbe {
  state: ShareState;
  /** Human-readable, close to the predecessor's `offline_reason` strings (facts §3.8). */
  reason: string;
  /** The configured root ('' when unconfigured). */
  root: string;
  /** The shared base `uploads/<ns>` (facts §1.3); null when it cannot be computed. */
  base: string | null;
  /** File-system type from the mount table (e.g. 'tmpfs', 'smbfs', 'cifs', 'fuse'), when found. */
  fsType?: string;
  /** null = unknown (unconfigured, hung, probe failure). */
  isMountpoint: boolean | null;
  /** Raw readlink of `<root>/ytm_workspaces` when the stub has it as a symlink (outbox fallback rule, facts §1.4). */
  stubVaultLinkTarget?: string;
  /** Only when `vaultRoot` was given and the share is up. */
  vaultRootExists?: boolean;
  /** ISO-8601 time of the check. */
  checkedAt: string;
  /** Wall time of the check in the caller (set by `checkShare`). */
  ms?: number;
}

/** Exact reason strings shared with the predecessor (facts §3.8), for consumers that match on them. */
export const STUB_REASON = 'mountpoint stub detected (README_MOUNTPOINT.txt)';
export const STUB_MARKER = 'README_MOUNTPOINT.txt';

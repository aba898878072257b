// What `ytm vault` needs to know about the vault, read entirely in guarded children that hold the share's probe
// lease (the vault lives on the share, which may hang): the share state, every link with an absolute target in
// the whole vault tree (no link is followed), and the entries the ensure step looks at. The whole scan runs
// within YTM_VAULT_SCAN_BUDGET_SEC; a scan cut by the budget (or by a share that stops answering) is incomplete.
import path from 'node:path';
import { type GuardLease, leaseFor } from '../../lib/guard/lease.js';
import type { AbsLink, ExistsState, ScanAbsLinksResult } from '../../lib/guard/ops.js';
import { runGuarded } from '../../lib/guard/run.js';
import type { ShareProbe } from '../../lib/share/state.js';
import type { JobContext } from '../engine/types.js';
import { probeShare } from '../store/target.js';

/** Deep enough for any real vault tree; the walk never follows links, so it cannot loop. */
const FULL_DEPTH = 256;

export interface VaultListing {
  /** Entry names of `thumbnails/` and `video/` (empty when the folder is missing). */
  thumbnails: string[];
  video: string[];
}

export type VaultScan =
  | { ok: false; share: ShareProbe; code: string; message: string }
  | {
      ok: true;
      share: ShareProbe;
      shareRoot: string;
      vaultRoot: string;
      links: AbsLink[];
      scanned: number;
      errors: ScanAbsLinksResult['errors'];
      listing: VaultListing;
    };

function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}

async function listNames(dir: string, deadline: number, lease: GuardLease | undefined): Promise<string[] | string> {
  const r = await runGuarded<string[]>(
    { op: 'list-dir', path: dir },
    { timeoutMs: remaining(deadline), ...(lease ? { lease } : {}) },
  );
  if (r.ok) return r.value;
  // A missing folder is an answer (nothing there yet); anything else means the scan is incomplete.
  return r.reason === 'error' && /ENOENT/.test(r.message) ? [] : r.message;
}

export async function scanVault(ctx: JobContext): Promise<VaultScan> {
  const budgetSec = ctx.config.YTM_VAULT_SCAN_BUDGET_SEC;
  const deadline = Date.now() + budgetSec * 1000;
  const share = await probeShare(ctx);
  const { sharedRoot, vaultRoot, stateDir } = ctx.paths;
  if (share.state !== 'up' || !sharedRoot) {
    return { ok: false, share, code: 'SHARE_DOWN', message: `the share is ${share.state}: ${share.reason}` };
  }
  if (!vaultRoot) {
    return {
      ok: false,
      share,
      code: 'VAULT_UNCONFIGURED',
      message: 'no vault root: set YTM_VAULT_WORKSPACES_ROOT (the share root is named `uploads`, so none is guessed)',
    };
  }
  const lease = leaseFor({ stateDir, sharedRoot, vaultRoot }, vaultRoot);
  const guard = () => ({ timeoutMs: remaining(deadline), ...(lease ? { lease } : {}) });
  const incomplete = (what: string) => ({
    ok: false as const,
    share,
    code: 'VAULT_SCAN_INCOMPLETE',
    message: `the vault scan did not finish within its budget of ${budgetSec}s (YTM_VAULT_SCAN_BUDGET_SEC): ${what}; nothing is planned from a partial scan — run again when the share answers, or raise the budget`,
  });
  const exists = await runGuarded<ExistsState[]>({ op: 'exists', paths: [vaultRoot] }, guard());
  if (!exists.ok) return incomplete(exists.message);
  if (exists.value[0] !== 'exists') {
    return { ok: false, share, code: 'VAULT_MISSING', message: `the vault root is missing: ${vaultRoot}` };
  }
  const scan = await runGuarded<ScanAbsLinksResult>(
    { op: 'scan-abs-links', root: vaultRoot, dirs: [''], depth: FULL_DEPTH },
    guard(),
  );
  if (!scan.ok) return incomplete(scan.message);
  const thumbnails = await listNames(path.join(vaultRoot, 'thumbnails'), deadline, lease);
  if (typeof thumbnails === 'string') return incomplete(thumbnails);
  const video = await listNames(path.join(vaultRoot, 'video'), deadline, lease);
  if (typeof video === 'string') return incomplete(video);
  return {
    ok: true,
    share,
    shareRoot: path.resolve(sharedRoot),
    vaultRoot: path.resolve(vaultRoot),
    links: scan.value.links,
    scanned: scan.value.scanned,
    errors: scan.value.errors,
    listing: { thumbnails, video },
  };
}

// vault's read-only plan: every absolute link into the share becomes an action to make it relative; links
// outside the share are listed, never touched; the predecessor's required entries are ensured (facts §4.4).
import path from 'node:path';
import { isInside } from '../../lib/fs/contain.js';
import { backupLinkKind } from '../../lib/fs/links.js';
import type { JsonObject, JsonValue } from '../../lib/plan/types.js';
import type { JobContext, PlanDraft } from '../engine/types.js';
import type { VaultAction } from './action.js';
import { scanVault, type VaultListing } from './scan.js';

/** How many example paths a warning names before "…and N more". */
const EXAMPLES = 5;

function examples(lines: string[]): string {
  const more = lines.length - EXAMPLES;
  return `${lines.slice(0, EXAMPLES).join('; ')}${more > 0 ? `; …and ${more} more` : ''}`;
}

/**
 * The required entries (`ensure_thumbnails_assets`, `ensure_video_runs`): a missing `thumbnails/assets` becomes
 * a relative alias of its first `assets.symlink_*` backup when there is one, else an empty folder. Presence is
 * judged by name, so a broken link there counts as present and is never replaced.
 */
function ensureActions(vaultRoot: string, listing: VaultListing): VaultAction[] {
  const out: VaultAction[] = [];
  if (!listing.thumbnails.includes('assets')) {
    const backup = listing.thumbnails.filter((n) => backupLinkKind(n) === 'manual_backup').sort()[0];
    const rel = 'thumbnails/assets';
    const abs = path.join(vaultRoot, rel);
    out.push(backup ? { op: 'ensure-link', path: rel, abs, target: backup } : { op: 'ensure-dir', path: rel, abs });
  }
  if (!listing.video.includes('runs')) {
    out.push({ op: 'ensure-dir', path: 'video/runs', abs: path.join(vaultRoot, 'video', 'runs') });
  }
  return out;
}

export async function planVault(_input: JsonObject, ctx: JobContext): Promise<PlanDraft> {
  const scan = await scanVault(ctx);
  // Not named `share`: the plan card reads a `share` precondition as a store's destination ("files go to …").
  const share = { state: scan.share.state, root: scan.share.root };
  if (!scan.ok) {
    return {
      preconditions: { shareCheck: share },
      actions: [],
      warnings: [],
      refusals: [{ code: scan.code, message: scan.message }],
      summary: `refused: ${scan.code}`,
    };
  }
  const rewrites: VaultAction[] = [];
  const outside: { path: string; target: string }[] = [];
  for (const l of scan.links) {
    const link = path.join(scan.vaultRoot, l.path);
    if (!isInside(scan.shareRoot, l.target)) {
      outside.push({ path: l.path, target: l.target });
      continue;
    }
    const after = path.relative(path.dirname(link), path.resolve(l.target)) || '.';
    rewrites.push({ op: 'rewrite', path: l.path.split(path.sep).join('/'), link, before: l.target, after });
  }
  const ensure = ensureActions(scan.vaultRoot, scan.listing);
  const changes = [...rewrites, ...ensure];
  const actions: VaultAction[] = changes.length > 0 ? [...changes, { op: 'report', outside }] : [];

  const warnings: string[] = [];
  if (outside.length > 0) {
    warnings.push(
      `${outside.length} absolute link(s) point outside the share and are left as they are (make them relative by hand, or run \`ytm vault\` on the host whose mount path they name): ${examples(outside.map((o) => `${o.path} → ${o.target}`))}`,
    );
  }
  if (scan.errors.length > 0) {
    warnings.push(
      `${scan.errors.length} entr${scan.errors.length === 1 ? 'y' : 'ies'} of the vault could not be read: ${examples(scan.errors.map((e) => `${e.path}: ${e.error}`))}`,
    );
  }
  const summary =
    changes.length === 0
      ? `vault ${scan.vaultRoot}: nothing to change (${scan.scanned} entries scanned, ${outside.length} absolute link(s) outside the share)`
      : `vault ${scan.vaultRoot}: make ${rewrites.length} absolute link(s) into the share relative, create ${ensure.length} missing required entr${ensure.length === 1 ? 'y' : 'ies'}; ${outside.length} link(s) outside the share left as they are (${scan.scanned} entries scanned)`;
  const links: JsonObject = Object.fromEntries(scan.links.map((l) => [l.path, l.target]));
  return {
    preconditions: {
      shareCheck: share,
      vaultRoot: scan.vaultRoot,
      links,
      thumbnails: scan.listing.thumbnails.filter((n) => n === 'assets' || backupLinkKind(n) === 'manual_backup'),
      videoRuns: scan.listing.video.includes('runs'),
    },
    actions: actions as JsonValue[],
    warnings,
    refusals: [],
    summary,
  };
}

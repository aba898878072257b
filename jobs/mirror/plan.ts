// The mirror's read-only plan: where from and to, whether the share is up (never an rsync against a mountpoint
// that is not the share), the sentinel rules, the passes, and their dry run with the delete limit.
import path from 'node:path';
import { z } from 'zod';
import { isInside } from '../../lib/fs/contain.js';
import { statOrNull } from '../../lib/fs/exists.js';
import type { JsonObject, Refusal } from '../../lib/plan/types.js';
import { addCounts, emptyCounts } from '../../lib/rsync/itemize.js';
import { rsyncSettings } from '../../lib/rsync/settings.js';
import { probeRsync } from '../../lib/rsync/version.js';
import { refusedDraft } from '../engine/refused.js';
import type { JobContext, PlanDraft } from '../engine/types.js';
import { probeShare } from '../store/target.js';
import { countsText, type MirrorAction, passLine } from './action.js';
import { dryRunPasses } from './dry-run.js';
import { deleteLimit, maxDeleteFor, vaultEntriesFrom } from './limit.js';
import { mirrorPasses } from './passes.js';
import { sentinelExists } from './sentinel.js';

export const MirrorInputSchema = z.object({ bootstrapDest: z.boolean() });
export type MirrorInput = z.infer<typeof MirrorInputSchema>;

/** Refusal codes the mirror command treats specially. */
export const SHARE_NOT_UP = 'MIRROR_SHARE_NOT_UP';
export const OVER_DELETE_LIMIT = 'MIRROR_OVER_DELETE_LIMIT';

async function isDir(p: string): Promise<boolean> {
  return (await statOrNull(p))?.isDirectory() === true;
}

export async function planMirror(input: MirrorInput, ctx: JobContext): Promise<PlanDraft> {
  const { paths, config } = ctx;
  const src = paths.workspaceRoot;
  const dest = paths.vaultRoot;
  const preconditions: JsonObject = { src, dest, bootstrapDest: input.bootstrapDest };
  const refuse = (r: Refusal): PlanDraft => refusedDraft([r], preconditions);
  if (!dest) {
    return refuse({
      code: 'MIRROR_NO_DEST',
      message:
        'no vault: set YTM_VAULT_WORKSPACES_ROOT (or YTM_SHARED_STORAGE_ROOT, whose ytm_workspaces is the vault)',
    });
  }
  if (!(await isDir(src)))
    return refuse({ code: 'MIRROR_SRC_MISSING', message: `the workspace ${src} is not a folder` });
  if (isInside(dest, src) || isInside(src, dest)) {
    return refuse({
      code: 'MIRROR_DEST_IS_SRC',
      message: `the vault ${dest} is the workspace ${src}, or one holds the other`,
    });
  }
  const onShare = paths.sharedRoot !== null && isInside(paths.sharedRoot, dest);
  let mountpoint: string | null = null;
  if (onShare) {
    const share = await probeShare(ctx);
    preconditions.share = { state: share.state, root: share.root, base: dest, offline: share.state !== 'up' };
    if (share.state !== 'up') {
      return refuse({
        code: SHARE_NOT_UP,
        message: `the share is ${share.state} (${share.reason}): this mirror run is skipped; no rsync runs against a mountpoint that is not the share`,
      });
    }
    mountpoint = config.YTM_SHARED_STORAGE_MOUNT_REQUIRED ? share.root : null;
  }
  const destExists = await isDir(dest);
  const sentinel = destExists && (await sentinelExists(dest));
  preconditions.destExists = destExists;
  preconditions.sentinel = sentinel;
  if (!destExists && !input.bootstrapDest) {
    return refuse({
      code: 'MIRROR_DEST_MISSING',
      message: `the vault ${dest} does not exist; \`ytm mirror --bootstrap-dest\` creates it with its sentinel`,
    });
  }
  if (!sentinel && !input.bootstrapDest) {
    return refuse({
      code: 'MIRROR_NO_SENTINEL',
      message: `delete-sync refused: the vault ${dest} has no sentinel (.ytm_vault_workspaces_root.json); if it really is the vault, \`ytm mirror --bootstrap-dest\` writes it`,
    });
  }
  const settings = rsyncSettings(config);
  let probe: Awaited<ReturnType<typeof probeRsync>>;
  try {
    probe = await probeRsync(settings.bin);
  } catch (err) {
    return refuse({ code: 'MIRROR_NO_RSYNC', message: (err as Error).message });
  }
  const passes = await mirrorPasses(src, dest);
  preconditions.rsync = { bin: settings.bin, banner: probe.banner };
  preconditions.passes = passes.map((p) => ({ name: p.name, src: p.src, dest: p.dest, delete: p.delete }));
  // The engine's re-check before an apply compares preconditions only: the dry run is not repeated there.
  if (ctx.recheck) return { preconditions, actions: [], warnings: [], refusals: [], summary: 'recheck' };

  ctx.progress({ stage: 'dry-run', message: `rsync -n over ${passes.length} pass(es)` });
  const dry = await dryRunPasses(settings, probe.caps, passes, ctx.signal);
  const failed = dry.filter((p) => !['ok', 'vanished', 'partial'].includes(p.planned.outcome));
  if (failed.length > 0) {
    return refuse({
      code: 'MIRROR_DRY_RUN_FAILED',
      message: failed.map((p) => `${p.name}: ${p.message} ${p.stderrTail.trim().slice(-300)}`).join('; '),
    });
  }
  const warnings = dry
    .filter((p) => p.planned.outcome === 'partial')
    .map((p) => `${p.name}: ${p.message}; ${p.stderrTail.trim().slice(-300)}`);
  const main = dry[0];
  const total = dry.reduce((c, p) => addCounts(c, p.planned.counts), emptyCounts());
  const deletes = main?.planned.counts.deleted ?? 0;
  const limit = deleteLimit(config, vaultEntriesFrom(main?.files ?? null, main?.planned.counts.created ?? 0, deletes));
  const overLimit = deletes > limit.allowed;
  if (overLimit) {
    warnings.push(
      `${OVER_DELETE_LIMIT}: the run would delete ${deletes} entries in the vault, over the unattended limit of ${limit.allowed} (YTM_MIRROR_MAX_DELETE=${limit.count}, YTM_MIRROR_MAX_DELETE_PCT=${limit.pct} of ${limit.vaultEntries ?? '?'} entries): it needs an approval`,
    );
  }
  if (input.bootstrapDest && !sentinel) warnings.push(`the vault sentinel will be written into ${dest}`);
  const action: MirrorAction = {
    kind: 'mirror',
    src,
    dest,
    repoRoot: paths.repoRoot,
    pinRoot: onShare ? (paths.sharedRoot as string) : destExists ? dest : path.dirname(dest),
    mountpoint,
    bootstrapDest: input.bootstrapDest,
    maxDelete: maxDeleteFor(deletes, limit),
    limit: { ...limit },
    overLimit,
    passes: dry.map(({ files: _f, message: _m, stderrTail: _s, ...p }) => p),
  };
  return {
    preconditions,
    actions: [action],
    warnings,
    refusals: [],
    summary: [
      `mirror ${src} → ${dest}: ${countsText(total)} (dry run)${overLimit ? ' — over the delete limit' : ''}`,
      ...dry.map((p) => `• ${passLine(p)}`),
    ].join('\n'),
    notices: [],
  };
}

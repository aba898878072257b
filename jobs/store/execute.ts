// Executing one store action: idempotent (a destination already holding the planned SHA-256 is up to date),
// verified (copy into a temp name, fsync, rename, re-read), with the rsync retry on EIO/EINVAL, the manifest,
// and symlink-back / move strictly after verification. Every write goes below a destination root pinned when the
// apply started (lib/share/destination-root.ts), so a share that drops mid-apply fails the action instead of
// filling its bare mountpoint on the local disk.
import path from 'node:path';
import { copyFileVerified } from '../../lib/fs/copy-verified.js';
import { errCode } from '../../lib/fs/errors.js';
import type { JsonValue } from '../../lib/plan/types.js';
import { rsyncSettings } from '../../lib/rsync/settings.js';
import { DEST_GONE, type DestinationRoot, openDestinationRoot } from '../../lib/share/destination-root.js';
import { forgetHash } from '../engine/hash-cache.js';
import { formatBytes } from '../engine/output.js';
import type { ActionOutcome, JobContext } from '../engine/types.js';
import { rememberOutboxRoot } from '../outbox/roots.js';
import { type StoreAction, StoreActionSchema } from './action.js';
import { destFacts } from './facts.js';
import { removeSource, replaceWithSymlink } from './link-back.js';
import { writeManifest } from './manifest.js';
import { RSYNC_RETRY_CODES, rsyncVerified } from './rsync.js';

function explain(err: unknown, a: StoreAction): string {
  const code = errCode(err);
  const msg = err instanceof Error ? err.message : String(err);
  const tail = 'nothing was left under the final name; the source is untouched';
  switch (code) {
    case 'ENOSPC':
      return `no space left on the destination while writing ${a.dest} (ENOSPC); ${tail}`;
    case 'EDQUOT':
      return `disk quota exceeded on the destination while writing ${a.dest} (EDQUOT); ${tail}`;
    case 'EROFS':
      return `the destination is read-only (EROFS): ${a.dest}; ${tail}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}) writing ${a.dest}; ${tail}`;
    case 'ABORT_ERR':
      return `cancelled while copying ${a.srcRel}; ${tail}`;
    case DEST_GONE:
      return `${msg.replace(`${DEST_GONE}: `, '')}; the source ${a.srcRel} was left in place`;
    default:
      return `${msg}${code && !msg.includes(code) ? ` (${code})` : ''}`;
  }
}

async function copyWithFallback(
  a: StoreAction,
  ctx: JobContext,
  overwrite: boolean,
): Promise<{ sha256: string; size: number; via: string }> {
  const onProgress = (bytes: number) => {
    if (bytes === a.size || bytes % (64 * 1024 * 1024) < 1024 * 1024) {
      ctx.progress({
        stage: 'copy',
        message: `${a.srcRel}: ${formatBytes(bytes)} of ${formatBytes(a.size)}`,
        bytes,
        totalBytes: a.size,
      });
    }
  };
  try {
    const expect = { sha256: a.sha256, size: a.size };
    const r = await copyFileVerified(a.src, a.dest, { overwrite, expect, signal: ctx.signal, onProgress });
    return { ...r, via: 'copy' };
  } catch (err) {
    if (!RSYNC_RETRY_CODES.has(errCode(err) ?? '')) throw err;
    ctx.progress({
      stage: 'copy',
      message: `${a.srcRel}: ${errCode(err)} from the destination, retrying once with rsync`,
    });
    const r = await rsyncVerified(a.src, a.dest, {
      rsync: rsyncSettings(ctx.config),
      expected: { sha256: a.sha256, size: a.size },
      overwrite,
      signal: ctx.signal,
    });
    return { ...r, via: 'rsync' };
  }
}

// One pinned root per apply (plan id) and root: the first action records the device, later ones are held to it.
const pinnedRoots = new Map<string, Promise<DestinationRoot>>();

/** The share's `uploads/<ns>` (mountpoint checked when a mount is required), or the outbox root itself. */
function destinationRootFor(a: StoreAction, ctx: JobContext, planId: string): Promise<DestinationRoot> {
  const t = a.target;
  const root = t.offline ? t.effectiveRoot : t.base;
  const key = `${planId}\0${root}`;
  let pinned = pinnedRoots.get(key);
  if (!pinned) {
    const mountpoint = !t.offline && ctx.config.YTM_SHARED_STORAGE_MOUNT_REQUIRED ? t.effectiveRoot : null;
    pinned = openDestinationRoot(root, { mountpoint });
    pinnedRoots.set(key, pinned);
    pinned.catch(() => pinnedRoots.delete(key));
  }
  return pinned;
}

/** A copy cut off by the share dropping fails with ENOENT, EIO or ENOTCONN: report the drop when that is it. */
async function goneOr(root: DestinationRoot, err: unknown): Promise<unknown> {
  if (errCode(err) === DEST_GONE) return err;
  return root.assertStillThere().then(
    () => err,
    (check: unknown) => (errCode(check) === DEST_GONE ? check : err),
  );
}

export async function executeStoreAction(raw: JsonValue, ctx: JobContext, planId: string): Promise<ActionOutcome> {
  const parsed = StoreActionSchema.safeParse(raw);
  if (!parsed.success) return { status: 'failed', message: 'not a valid store action' };
  const a = parsed.data;
  let root: DestinationRoot | undefined;
  try {
    root = await destinationRootFor(a, ctx, planId);
    await root.mkdirBelow(path.dirname(a.dest));
    if (a.target.offline) await rememberOutboxRoot(ctx.paths.stateDir, a.target.effectiveRoot);
    // Before a source is linked back or removed, the destination is re-read, never taken from the hash cache:
    // stat fields on an SMB client can be stale.
    if (a.after !== 'keep') forgetHash(a.dest);
    const now = await destFacts(a.dest, a.size, ctx.signal);
    if (now.exists && now.type === 'other') {
      return { status: 'failed', message: `the destination is not a regular file: ${a.dest}` };
    }
    const upToDate = now.exists && now.type === 'file' && now.sha256 === a.sha256;
    let via = 'up to date';
    if (!upToDate) {
      if (now.exists && !a.overwrite) {
        return {
          status: 'failed',
          message: `the destination now holds a different file and --overwrite was not given: ${a.dest}`,
        };
      }
      // Both copy paths refuse a source that no longer hashes as planned before it takes the destination's name.
      const copied = await copyWithFallback(a, ctx, a.overwrite);
      forgetHash(a.dest);
      via = copied.via === 'rsync' ? 'copied with rsync and verified' : 'copied and verified';
    }
    const manifest = await writeManifest(a, ctx.paths, ctx.now(), { planId, upToDate }, root);
    if (a.after !== 'keep') {
      // Only after verification: the copy was re-read before it took its name, or the destination was hashed equal
      // to the planned SHA-256 just above; and only while that copy is still on the pinned file system.
      await root.assertStillThere(a.dest);
      if (a.after === 'symlink-back') await replaceWithSymlink(a.src, a.dest, a.size, a.srcMtimeMs);
      else await removeSource(a.src, a.dest, a.size, a.srcMtimeMs);
    }
    const afterWords =
      a.after === 'symlink-back' ? '; source replaced by a link' : a.after === 'move' ? '; source removed' : '';
    return {
      status: upToDate && a.after === 'keep' ? 'up_to_date' : 'done',
      message: `${via}${afterWords}`,
      details: { dest: a.dest, manifest, sha256: a.sha256, size: a.size, offline: a.target.offline },
    };
  } catch (err) {
    const cause = root ? await goneOr(root, err) : err;
    return { status: 'failed', message: explain(cause, a), details: { dest: a.dest, code: errCode(cause) ?? null } };
  }
}

// Applying one fallback action on the local workspace. Materialise: the copy (or the placeholder folder) is
// built under a temp name beside the link and verified first; only then is the link renamed to its backup name
// and the folder renamed into place. Any failure rolls back: the link keeps (or gets back) its name and only
// what this run created is removed. Restore: the local folder is first renamed aside, checked to hold exactly
// what the plan compared, then the backup link takes its name back and the set-aside folder is removed.
import { lstat, mkdir, readlink, rename, rm, symlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, tempPathFor, writeFileAtomic } from '../../lib/fs/atomic.js';
import { copyFileVerified } from '../../lib/fs/copy-verified.js';
import { lstatOrNull } from '../../lib/fs/exists.js';
import type { JsonValue } from '../../lib/plan/types.js';
import { stampOf } from '../engine/stamp.js';
import type { ActionOutcome, JobContext } from '../engine/types.js';
import { type FallbackAction, FallbackActionSchema } from './action.js';
import { freeBackupPath, PLACEHOLDER, placeholderText } from './names.js';
import { listTree } from './tree.js';

type Materialize = Extract<FallbackAction, { op: 'materialize' }>;
type Restore = Extract<FallbackAction, { op: 'restore' }>;
type Removal = Restore['remove'][number];

async function linkTarget(p: string): Promise<string | null> {
  const st = await lstatOrNull(p);
  return st?.isSymbolicLink() ? readlink(p) : null;
}

/** Copies the archive folder into `dest` (which it creates): files verified by SHA-256, mtimes kept, links as links. */
async function copyTree(source: string, dest: string, signal: AbortSignal): Promise<void> {
  await mkdir(dest);
  for (const e of await listTree(source)) {
    const from = path.join(source, e.rel);
    const to = path.join(dest, e.rel);
    if (e.type === 'dir') await mkdir(to);
    else if (e.type === 'link') await symlink(e.target, to);
    else {
      await copyFileVerified(from, to, { signal });
      const st = await lstat(from);
      await utimes(to, st.atime, st.mtime);
    }
  }
}

async function materialize(a: Materialize, ctx: JobContext): Promise<ActionOutcome> {
  if ((await linkTarget(a.link)) !== a.target) {
    return {
      status: 'failed',
      message: `stale plan: video/input/${a.name} is no longer the planned link to ${a.target}; nothing changed — re-plan`,
    };
  }
  const at = ctx.now();
  const tmp = tempPathFor(a.link);
  let backup: string | null = null;
  try {
    if (a.source) await copyTree(a.source, tmp, ctx.signal);
    else {
      await mkdir(tmp);
      await writeFileAtomic(path.join(tmp, PLACEHOLDER), placeholderText(a.name, a.target, a.reason, at.toISOString()));
    }
    backup = await freeBackupPath(a.link, stampOf(at));
    await rename(a.link, backup);
    await rename(tmp, a.link);
    await fsyncDir(path.dirname(a.link));
  } catch (err) {
    // Roll back: the link gets its name back, and only this run's temp folder is removed.
    const undo: string[] = [];
    if (backup && (await linkTarget(backup)) === a.target && !(await lstatOrNull(a.link))) {
      await rename(backup, a.link).then(
        () => undo.push('link restored'),
        (e: Error) => undo.push(`LINK NOT RESTORED (${e.message}): it is at ${backup}`),
      );
    }
    await rm(tmp, { recursive: true, force: true }).catch((e: Error) =>
      undo.push(`temp folder ${tmp} left: ${e.message}`),
    );
    return {
      status: 'failed',
      message: `video/input/${a.name}: ${(err as Error).message}; rolled back${undo.length > 0 ? ` (${undo.join(', ')})` : ''}, the link is as before`,
    };
  }
  return {
    status: 'done',
    message: `video/input/${a.name}: ${a.source ? `copied ${a.files} file(s) from ${a.source}` : `empty folder with ${PLACEHOLDER}`}; link kept as ${path.basename(backup)}`,
    details: { backup, source: a.source },
  };
}

/** The set-aside folder holds exactly the files the plan compared (nothing added or changed since). */
async function differsFromPlan(dir: string, planned: readonly Removal[]): Promise<string | null> {
  const want = new Map(planned.map((p) => [p.rel, p]));
  for (const e of await listTree(dir)) {
    if (e.type === 'dir') continue;
    const p = want.get(e.rel);
    if (!p || e.type !== 'file' || e.size !== p.size || e.mtimeMs !== p.mtimeMs) return `${e.rel} changed or appeared`;
    want.delete(e.rel);
  }
  const gone = [...want.keys()][0];
  return gone ? `${gone} is gone` : null;
}

async function restore(a: Restore): Promise<ActionOutcome> {
  if ((await linkTarget(a.link)) === a.target && !(await lstatOrNull(a.backup))) {
    return { status: 'up_to_date', message: `video/input/${a.name} already links to ${a.target}` };
  }
  if ((await linkTarget(a.backup)) !== a.target) {
    return {
      status: 'failed',
      message: `stale plan: ${path.basename(a.backup)} is no longer the planned link to ${a.target}; nothing changed — re-plan`,
    };
  }
  const here = await lstatOrNull(a.link);
  if ((here !== null) !== a.localDir || (here && !here.isDirectory())) {
    return {
      status: 'failed',
      message: `stale plan: video/input/${a.name} changed since the plan; nothing changed — re-plan`,
    };
  }
  let aside: string | null = null;
  if (here) {
    aside = tempPathFor(a.link);
    await rename(a.link, aside);
    const changed = await differsFromPlan(aside, a.remove);
    if (changed) {
      await rename(aside, a.link);
      return {
        status: 'failed',
        message: `stale plan: video/input/${a.name}: ${changed} since the plan; left as it is — re-plan`,
      };
    }
  }
  try {
    await rename(a.backup, a.link);
  } catch (err) {
    if (aside) await rename(aside, a.link);
    return { status: 'failed', message: `video/input/${a.name}: ${(err as Error).message}; left as it was` };
  }
  await fsyncDir(path.dirname(a.link));
  if (aside) await rm(aside, { recursive: true, force: true });
  return {
    status: 'done',
    message: `video/input/${a.name} links to ${a.target} again${a.localDir ? ` (local copy of ${a.remove.length} file(s) removed)` : ''}`,
  };
}

export async function applyFallbackAction(raw: JsonValue, ctx: JobContext): Promise<ActionOutcome> {
  const parsed = FallbackActionSchema.safeParse(raw);
  if (!parsed.success)
    return { status: 'failed', message: `invalid fallback action: ${parsed.error.issues[0]?.message}` };
  return parsed.data.op === 'materialize' ? materialize(parsed.data, ctx) : restore(parsed.data);
}

// Applying a relink: every fact is checked before the first change (the link still names what was planned, the
// info file still hashes as planned, the draft is still a folder), then: the old link is kept under the backup
// name (a new link with the old target, created no-clobber: an existing name is never overwritten), the new link
// is made at a temp name and renamed over `capcut_draft` (atomic; a real folder there makes the rename fail), the
// info file is rewritten atomically with every other key kept, and a line goes to the relink log. The draft's
// own files are never opened for writing.
import { readFile, readlink, symlink } from 'node:fs/promises';
import path from 'node:path';
import { appendRelinkLog } from '../../lib/capcut/relink-log.js';
import { fsyncDir, swapSymlink, writeJsonAtomic } from '../../lib/fs/atomic.js';
import { errCode } from '../../lib/fs/errors.js';
import { lstatOrNull, statOrNull } from '../../lib/fs/exists.js';
import { sha256Hex } from '../../lib/fs/hash.js';
import type { JsonValue } from '../../lib/plan/types.js';
import type { ActionOutcome, JobContext } from '../engine/types.js';
import { type RelinkAction, RelinkActionSchema } from './action.js';

class Unchanged extends Error {}

async function currentInfo(a: RelinkAction): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(a.info, 'utf8');
  } catch (err) {
    if (errCode(err) === 'ENOENT' && a.infoSha256 === null) return {};
    throw new Unchanged(`${a.info} is not as planned (${errCode(err) ?? err})`);
  }
  if (sha256Hex(text) !== a.infoSha256) throw new Unchanged(`${a.info} changed since the plan`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function assertLinkAsPlanned(a: RelinkAction): Promise<void> {
  const st = await lstatOrNull(a.link);
  const now = st?.isSymbolicLink() ? await readlink(a.link) : null;
  const planned = a.replaceLink ? a.oldTarget : a.draft;
  if (st && !st.isSymbolicLink()) throw new Unchanged(`${a.link} is no longer a link`);
  if (now !== planned) throw new Unchanged(`${a.link} changed since the plan (now → ${now ?? 'nothing'})`);
}

/** The new link: temp name + rename over the old one, or a no-clobber create when there was none. */
async function placeLink(a: RelinkAction): Promise<void> {
  if (a.oldTarget !== null) return swapSymlink(a.link, a.draft);
  await symlink(a.draft, a.link);
  await fsyncDir(a.runDir);
}

export async function executeRelink(raw: JsonValue, ctx: JobContext, planId: string): Promise<ActionOutcome> {
  const parsed = RelinkActionSchema.safeParse(raw);
  if (!parsed.success) return { status: 'failed', message: 'not a valid relink action' };
  const a = parsed.data;
  let backupMade = false;
  let linkReplaced = false;
  try {
    const info = await currentInfo(a);
    if (a.replaceLink) await assertLinkAsPlanned(a);
    if (!(await statOrNull(a.draft))?.isDirectory()) throw new Unchanged(`the draft ${a.draft} is no longer a folder`);
    if (a.replaceLink) {
      if (a.backup && a.oldTarget !== null) {
        try {
          await symlink(a.oldTarget, a.backup);
        } catch (err) {
          if (errCode(err) === 'EEXIST')
            throw new Unchanged(`${path.basename(a.backup)} already exists; it is never overwritten — re-plan`);
          throw err;
        }
        backupMade = true;
      }
      await placeLink(a);
      linkReplaced = true;
    }
    await writeJsonAtomic(a.info, { ...info, draft_path: a.draft, draft_path_ref: a.ref });
    const log = await appendRelinkLog(ctx.paths.opsLogsDir, {
      at: ctx.now().toISOString(),
      episode: a.episode,
      run_id: a.runId,
      run_dir: a.runDir,
      old_draft_path: a.oldDraftPath,
      new_draft_dir: a.draft,
      symlink_backup: a.backup,
      draft_path_ref: a.ref,
      mode: 'run',
      result: 'ok',
      plan_id: planId,
      actor: ctx.actor,
    });
    return {
      status: 'done',
      message: `${a.replaceLink ? 'linked' : 'link was already right'}${a.backup ? `, old link kept as ${path.basename(a.backup)}` : ''}; capcut_draft_info.json updated; logged in ${path.basename(log)}`,
      details: { link: a.link, draft: a.draft, backup: a.backup, info: a.info, log },
    };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const done = linkReplaced
      ? 'the link was replaced but the rest did not finish'
      : backupMade
        ? 'only the backup link was made; capcut_draft is as it was'
        : 'nothing was changed';
    return { status: 'failed', message: `${msg}; ${done}` };
  }
}

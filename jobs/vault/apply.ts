// Applying one vault action on the share (in the apply child, never in the bot or the terminal). A link is
// rewritten atomically: a temp link beside it, renamed over it, but only while it still holds the target the
// plan was made for; anything else is a stale plan for that link and nothing is changed.
import { mkdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { swapSymlink } from '../../lib/fs/atomic.js';
import { errCode } from '../../lib/fs/errors.js';
import { entryExists } from '../../lib/fs/exists.js';
import type { JsonValue } from '../../lib/plan/types.js';
import type { ActionOutcome, JobContext } from '../engine/types.js';
import { type VaultAction, VaultActionSchema } from './action.js';
import { noteChange, writeVaultReport } from './report.js';

async function readLinkOrNull(p: string): Promise<string | null> {
  try {
    return await readlink(p);
  } catch (err) {
    if (['ENOENT', 'EINVAL', 'ENOTDIR'].includes(errCode(err) ?? '')) return null;
    throw err;
  }
}

async function rewrite(a: Extract<VaultAction, { op: 'rewrite' }>): Promise<ActionOutcome> {
  const now = await readLinkOrNull(a.link);
  if (now === a.after) return { status: 'up_to_date', message: `${a.path} is already relative (${a.after})` };
  if (now !== a.before) {
    return {
      status: 'failed',
      message: `stale plan for ${a.path}: it ${now === null ? 'is no longer a link' : `now points to ${now}`}, planned from ${a.before}; left as it is — re-plan`,
    };
  }
  await swapSymlink(a.link, a.after);
  const placed = await readLinkOrNull(a.link);
  if (placed !== a.after) return { status: 'failed', message: `${a.path} reads ${placed} after the rewrite` };
  return { status: 'done', message: `${a.path} → ${a.after}`, details: { before: a.before, after: a.after } };
}

async function ensureEntry(a: Extract<VaultAction, { op: 'ensure-dir' | 'ensure-link' }>): Promise<ActionOutcome> {
  if (await entryExists(a.abs)) return { status: 'up_to_date', message: `${a.path} already exists` };
  if (a.op === 'ensure-dir') {
    await mkdir(a.abs, { recursive: true });
    return { status: 'done', message: `created ${a.path}` };
  }
  await mkdir(path.dirname(a.abs), { recursive: true });
  await swapSymlink(a.abs, a.target);
  return { status: 'done', message: `created ${a.path} → ${a.target}` };
}

export async function applyVaultAction(raw: JsonValue, ctx: JobContext, planId: string): Promise<ActionOutcome> {
  const parsed = VaultActionSchema.safeParse(raw);
  if (!parsed.success) return { status: 'failed', message: `invalid vault action: ${parsed.error.issues[0]?.message}` };
  const a = parsed.data;
  if (a.op === 'report') {
    const file = await writeVaultReport(ctx, planId, a.outside);
    return { status: 'done', message: `report ${file}`, details: { report: file } };
  }
  let outcome: ActionOutcome;
  try {
    outcome = a.op === 'rewrite' ? await rewrite(a) : await ensureEntry(a);
  } catch (err) {
    outcome = { status: 'failed', message: `${a.path}: ${(err as Error).message}` };
  }
  noteChange(planId, a, outcome);
  return outcome;
}

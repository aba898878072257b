// The sandbox's draft fault: one Hot episode's `capcut_draft` link retargeted to a path that does not exist, so
// the doctor reports HOT_RUN_SYMLINK_BROKEN with `ytm relink` as the fix. What was changed is written to a small
// journal first, so a sandbox that dies with the link broken is repaired by the next one. A repair never undoes
// someone else's fix: it only puts the old target back while the link still names the sandbox's missing path.
import { readlinkSync } from 'node:fs';
import { readFile, readlink, rm } from 'node:fs/promises';
import path from 'node:path';
import { loadPlanning } from '../../../jobs/doctor/planning.js';
import type { JobContext } from '../../../jobs/engine/types.js';
import { wiringState } from '../../../jobs/relink/state.js';
import { probeShare } from '../../../jobs/store/target.js';
import { swapSymlink, writeJsonAtomic } from '../../../lib/fs/atomic.js';
import { lstatOrNull } from '../../../lib/fs/exists.js';
import { leaseFor } from '../../../lib/guard/lease.js';
import { resolvePlanningRoot } from '../../../lib/planning/root.js';

/** One broken link: enough to put it back. */
export interface DraftBreak {
  episode: string;
  /** The run's `capcut_draft` link. */
  link: string;
  /** Its target before the break, as readlink gave it. */
  previous: string;
  /** The missing path it points at while broken. */
  broken: string;
}

export const draftJournalPath = (envFile: string): string =>
  path.join(path.dirname(envFile), 'sandbox-draft-fault.json');

/** Hot (unposted, not frozen) episodes of the planning in effect, by the doctor's own loader, sorted. */
async function hotEpisodes(ctx: JobContext): Promise<string[]> {
  const timeoutMs = ctx.config.YTM_SHARE_PROBE_TIMEOUT_MS;
  const planning = await resolvePlanningRoot(ctx.paths, await probeShare(ctx), timeoutMs);
  const load = await loadPlanning(
    planning.root,
    ctx.paths.workspaceRoot,
    leaseFor(ctx.paths, planning.root),
    timeoutMs,
  );
  return load.episodes
    .filter((e) => !e.posted && !e.frozen)
    .map((e) => e.id)
    .sort();
}

/** The first Hot episode whose selected run is wired correctly through a link (the one the panel breaks). */
export async function pickDraftEpisode(ctx: JobContext): Promise<Omit<DraftBreak, 'broken'> | null> {
  for (const episode of await hotEpisodes(ctx)) {
    const w = await wiringState(ctx, episode);
    const link = w.link;
    if (w.problems.length === 0 && link?.kind === 'symlink' && link.state === 'ok' && link.target !== null) {
      return { episode, link: link.path, previous: link.target };
    }
  }
  return null;
}

export async function breakDraftLink(pick: Omit<DraftBreak, 'broken'>, journal: string): Promise<DraftBreak> {
  const broken = `${path.resolve(path.dirname(pick.link), pick.previous)}.sandbox-missing`;
  if (await lstatOrNull(broken)) throw new Error(`${broken} exists: the draft link cannot be broken with it`);
  const rec: DraftBreak = { ...pick, broken };
  await writeJsonAtomic(journal, rec);
  await swapSymlink(rec.link, rec.broken);
  return rec;
}

/** Does the link still name the sandbox's missing path (no one relinked it meanwhile)? */
export function stillBroken(rec: DraftBreak): boolean {
  try {
    return readlinkSync(rec.link) === rec.broken;
  } catch {
    return false;
  }
}

/** Puts the old target back unless the link was changed meanwhile; either way the journal goes. */
export async function repairDraftLink(rec: DraftBreak, journal: string): Promise<'restored' | 'left'> {
  const now = await readlink(rec.link).catch(() => null);
  const restored = now === rec.broken;
  if (restored) await swapSymlink(rec.link, rec.previous);
  await rm(journal, { force: true });
  return restored ? 'restored' : 'left';
}

/** The break a sandbox that died left in its journal, repaired; says what happened (null: nothing to do). */
export async function recoverDraftLink(journal: string): Promise<string | null> {
  const text = await readFile(journal, 'utf8').catch(() => null);
  if (text === null) return null;
  const rec = JSON.parse(text) as DraftBreak;
  const how = await repairDraftLink(rec, journal);
  return how === 'restored'
    ? `restored ${rec.episode}'s draft link ${rec.link} -> ${rec.previous}`
    : `left ${rec.episode}'s draft link as it is (it was changed after the sandbox broke it)`;
}

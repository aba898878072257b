// The share state the outbox monitor saw last, persisted in the state dir so a restart neither re-announces a
// recovery it already announced nor misses one that happened while the bot was down.
// DESIGN's alert rule: a change counts after 2 consecutive checks agree. A Mac waking from sleep often sees one
// `hung` and then `up`; that single bad check must not make the next `up` a "recovery".
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';

export const CONFIRM_CHECKS = 2;

export interface LastShareState {
  /** The confirmed state (seen on CONFIRM_CHECKS consecutive checks, or the first check ever). */
  state: string;
  at: string;
  /** A different state seen on the latest check(s) but not confirmed yet, and how many checks in a row saw it. */
  pending?: { state: string; checks: number };
}

const file = (stateDir: string) => path.join(stateDir, 'monitors', 'share-state.json');

const isUp = (s: string) => s === 'up';

/**
 * Folds one check into the persisted record. `recovered`: the confirmed state just went from down to up.
 * Any two non-`up` states (stub, hung, degraded…) count as the same "down" for confirmation.
 */
export function foldShareCheck(
  last: LastShareState | undefined,
  probed: string,
  at: string,
): { next: LastShareState; recovered: boolean } {
  if (last === undefined) return { next: { state: probed, at }, recovered: false };
  if (isUp(probed) === isUp(last.state)) return { next: { state: probed, at }, recovered: false };
  const checks = last.pending && isUp(last.pending.state) === isUp(probed) ? last.pending.checks + 1 : 1;
  if (checks < CONFIRM_CHECKS) return { next: { ...last, pending: { state: probed, checks } }, recovered: false };
  return { next: { state: probed, at }, recovered: isUp(probed) };
}

export async function loadLastShareState(stateDir: string): Promise<LastShareState | undefined> {
  try {
    const v = JSON.parse(await readFile(file(stateDir), 'utf8')) as Partial<LastShareState>;
    if (typeof v.state !== 'string' || typeof v.at !== 'string') return undefined;
    const p = v.pending;
    const pending =
      p && typeof p.state === 'string' && typeof p.checks === 'number' ? { state: p.state, checks: p.checks } : null;
    return { state: v.state, at: v.at, ...(pending ? { pending } : {}) };
  } catch {
    return undefined;
  }
}

export async function saveLastShareState(stateDir: string, v: LastShareState): Promise<void> {
  await mkdir(path.dirname(file(stateDir)), { recursive: true });
  await writeJsonAtomic(file(stateDir), v);
}

// Which episodes the archive jobs may touch: posted (the one predicate of lib/planning/posted.ts, through the
// store's publishedFact: the planning row is posted, or status.json has published_lock) and NOT in the freeze
// list (lib/planning/freeze.ts). A planning root on the share is read in a guarded child, and only while the
// share is up; anything unreadable counts as unposted, and an unreadable freeze list refuses the plan.
import path from 'node:path';
import { isInside } from '../../lib/fs/contain.js';
import type { ReadTextResult } from '../../lib/guard/ops.js';
import { runGuarded } from '../../lib/guard/run.js';
import { splitEpisodeId } from '../../lib/planning/episode.js';
import { FREEZE_SCHEMA, type FreezeList, parseFreezeList, readFreezeList } from '../../lib/planning/freeze.js';
import type { ShareState } from '../../lib/share/state.js';
import type { JobContext } from '../engine/types.js';
import { publishedFact } from '../store/published.js';
import { probeShare } from '../store/target.js';

export interface Standing {
  posted: boolean;
  frozen: boolean;
  /** May be archived: posted and not frozen. */
  touchable: boolean;
  basis: string;
}

export interface Standings {
  of: (episode: string) => Promise<Standing>;
  /** Why the freeze list could not be read (the plan is then refused: frozen episodes cannot be told apart). */
  freezeProblems: string[];
  shareState: ShareState | null;
}

/** A freeze list that could not be read freezes everything (fail closed) and says why. */
function unreadableFreeze(problem: string): FreezeList {
  return { items: [], errors: [problem], has: () => true };
}

async function readFreeze(ctx: JobContext, onShare: boolean, shareState: ShareState | null): Promise<FreezeList> {
  const configured = ctx.paths.planningConfigured;
  if (configured && onShare && shareState === 'up') {
    const file = path.join(configured, 'hotset_freeze.json');
    const r = await runGuarded<ReadTextResult[]>(
      { op: 'read-text', paths: [file] },
      { timeoutMs: ctx.config.YTM_SHARE_PROBE_TIMEOUT_MS },
    );
    const first = r.ok ? r.value[0] : undefined;
    if (first?.ok) return parseFreezeList(first.text);
    if (first && /ENOENT/.test(first.error)) return parseFreezeList({ schema: FREEZE_SCHEMA, items: [] });
    return unreadableFreeze(`cannot read ${file}: ${first ? first.error : r.ok ? 'no answer' : r.message}`);
  }
  const root = configured && !onShare ? configured : ctx.paths.planningLocal;
  return readFreezeList(path.join(root, 'hotset_freeze.json'));
}

/** Frozen in either list: the planning root in use and the local copy (a missing root never unfreezes). */
function union(a: FreezeList, b: FreezeList): FreezeList {
  return {
    items: [...a.items, ...b.items],
    errors: [...a.errors, ...b.errors],
    has: (c, v) => a.has(c, v) || b.has(c, v),
  };
}

export async function openStandings(ctx: JobContext): Promise<Standings> {
  const configured = ctx.paths.planningConfigured;
  const onShare =
    configured !== null &&
    ctx.paths.sharedRoot !== null &&
    isInside(ctx.paths.sharedRoot, configured, { caseInsensitive: true });
  // The share is probed only when the planning files live on it.
  const shareState = onShare ? (await probeShare(ctx)).state : null;
  const local = await readFreezeList(path.join(ctx.paths.planningLocal, 'hotset_freeze.json'));
  const freeze = union(await readFreeze(ctx, onShare, shareState), local);
  const cache = new Map<string, Promise<Standing>>();
  const of = (episode: string): Promise<Standing> => {
    let s = cache.get(episode);
    if (!s) {
      s = (async () => {
        const parts = splitEpisodeId(episode);
        const frozen = parts !== null && freeze.has(parts.channel, parts.video);
        // Off the share the state is not consulted (publishedFact reads the configured root directly).
        const fact = await publishedFact(ctx, episode, shareState ?? 'up');
        const basis = frozen ? `${fact.basis}, and in the freeze list` : fact.basis;
        return { posted: fact.published, frozen, touchable: fact.published && !frozen, basis };
      })();
      cache.set(episode, s);
    }
    return s;
  };
  return { of, freezeProblems: freeze.errors, shareState };
}

// Is an episode published (posted)? The planning CSV row is posted, or status.json has a truthy
// `metadata.published_lock` (facts §3.6). A planning root on the share is only read through a guarded child,
// and not at all while the share is down. Anything unreadable counts as unposted (fail closed).
import path from 'node:path';
import { isInside } from '../../lib/fs/contain.js';
import type { ReadTextResult } from '../../lib/guard/ops.js';
import { runGuarded } from '../../lib/guard/run.js';
import { parsePlanningCsv, readPlanningCsv } from '../../lib/planning/csv.js';
import { splitEpisodeId } from '../../lib/planning/episode.js';
import { isEpisodePublished } from '../../lib/planning/posted.js';
import { readStatusJson } from '../../lib/planning/status.js';
import type { ShareState } from '../../lib/share/state.js';
import type { JobContext } from '../engine/types.js';

export interface PublishedFact {
  published: boolean;
  /** Why, in words (for the plan's refusal or warning). */
  basis: string;
}

async function progressOf(
  ctx: JobContext,
  episode: string,
  channel: string,
  shareState: ShareState,
): Promise<string | null> {
  const configured = ctx.paths.planningConfigured;
  // Without case: a planning root spelled otherwise on the Mac's disk is still on the share, and must then be
  // read through the guarded child (the share is not touched to find out).
  const onShare =
    configured !== null &&
    ctx.paths.sharedRoot !== null &&
    isInside(ctx.paths.sharedRoot, configured, { caseInsensitive: true });
  const root = configured && !(onShare && shareState !== 'up') ? configured : ctx.paths.planningLocal;
  const file = path.join(root, 'channels', `${channel}.csv`);
  let csv: ReturnType<typeof parsePlanningCsv>;
  if (onShare && root === configured) {
    const r = await runGuarded<ReadTextResult[]>(
      { op: 'read-text', paths: [file] },
      { timeoutMs: ctx.config.YTM_SHARE_PROBE_TIMEOUT_MS },
    );
    const first = r.ok ? r.value[0] : undefined;
    if (!first?.ok) return null;
    csv = parsePlanningCsv(first.text, channel);
  } else {
    csv = await readPlanningCsv(file, channel);
  }
  return csv.rows.find((row) => row.episodeId === episode)?.progress ?? null;
}

export async function publishedFact(ctx: JobContext, episode: string, shareState: ShareState): Promise<PublishedFact> {
  const parts = splitEpisodeId(episode);
  if (!parts) return { published: false, basis: `${episode} is not an episode id` };
  const progress = await progressOf(ctx, episode, parts.channel, shareState);
  const statusFile = path.join(ctx.paths.workspaceRoot, 'scripts', parts.channel, parts.video, 'status.json');
  const status = await readStatusJson(statusFile);
  const published = isEpisodePublished({ progress, status: status.ok ? status.status : null });
  const basis = published
    ? `posted (progress ${JSON.stringify(progress ?? '')}${status.ok && status.status.metadata?.published_lock ? ', published_lock' : ''})`
    : progress === null
      ? 'not found in the planning CSV (treated as unposted)'
      : `not posted (progress ${JSON.stringify(progress)})`;
  return { published, basis };
}

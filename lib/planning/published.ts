// Is an episode published (posted)? The one answer for every job that must not touch unposted work (store,
// archive, relink): the planning CSV row of the planning root in effect (lib/planning/root.ts) is posted, or
// status.json has a truthy `metadata.published_lock` (facts §3.6). A CSV on the share is read in a guarded
// child. Anything unreadable counts as unposted (fail closed), and the answer names the file it read.
import path from 'node:path';
import { leaseFor } from '../guard/lease.js';
import type { ReadTextResult } from '../guard/ops.js';
import { runGuarded } from '../guard/run.js';
import type { EffectivePlanning, Paths } from '../paths.js';
import { parsePlanningCsv, readPlanningCsv } from './csv.js';
import { splitEpisodeId } from './episode.js';
import { isEpisodePublished } from './posted.js';
import { describePlanningRoot } from './root.js';
import { readStatusJson } from './status.js';

export interface PublishedFact {
  published: boolean;
  /** Why, in words, naming the planning file read (for a refusal or a warning). */
  basis: string;
}

async function progressOf(
  paths: Paths,
  file: string,
  channel: string,
  episode: string,
  timeoutMs: number,
): Promise<{ progress: string | null; error: string | null }> {
  const lease = leaseFor(paths, file);
  let csv: ReturnType<typeof parsePlanningCsv>;
  if (lease) {
    const r = await runGuarded<ReadTextResult[]>({ op: 'read-text', paths: [file] }, { timeoutMs, lease });
    const first = r.ok ? r.value[0] : undefined;
    if (!first?.ok) return { progress: null, error: r.ok ? (first?.error ?? 'unreadable') : r.message };
    csv = parsePlanningCsv(first.text, channel);
  } else {
    csv = await readPlanningCsv(file, channel);
  }
  const unreadable = csv.rows.length === 0 ? (csv.errors[0]?.message ?? null) : null;
  return { progress: csv.rows.find((row) => row.episodeId === episode)?.progress ?? null, error: unreadable };
}

export async function publishedFact(
  paths: Paths,
  planning: EffectivePlanning,
  episode: string,
  timeoutMs: number,
): Promise<PublishedFact> {
  const parts = splitEpisodeId(episode);
  if (!parts) return { published: false, basis: `${episode} is not an episode id` };
  const file = path.join(planning.root, 'channels', `${parts.channel}.csv`);
  const { progress, error } = await progressOf(paths, file, parts.channel, episode, timeoutMs);
  const statusFile = path.join(paths.workspaceRoot, 'scripts', parts.channel, parts.video, 'status.json');
  const status = await readStatusJson(statusFile);
  const locked = status.ok && Boolean(status.status.metadata?.published_lock);
  const published = isEpisodePublished({ progress, status: status.ok ? status.status : null });
  const read = `${parts.channel}.csv in ${describePlanningRoot(planning)}`;
  const basis = published
    ? `posted (progress ${JSON.stringify(progress ?? '')}${locked ? ', published_lock' : ''}; read ${read})`
    : progress !== null
      ? `not posted (progress ${JSON.stringify(progress)} in ${read})`
      : error !== null
        ? `not known to be posted: ${read} could not be read (${error}); treated as unposted`
        : `not found in ${read} (treated as unposted)`;
  return { published, basis };
}

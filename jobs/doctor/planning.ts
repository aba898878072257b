import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GuardLease } from '../../lib/guard/lease.js';
import type { ReadTextResult } from '../../lib/guard/ops.js';
import { runGuarded } from '../../lib/guard/run.js';
import { channelFromCsvPath, parsePlanningCsv } from '../../lib/planning/csv.js';
import { parseFreezeList } from '../../lib/planning/freeze.js';
import { isEpisodePublished } from '../../lib/planning/posted.js';
import { parseStatusJson, type StatusJson } from '../../lib/planning/status.js';
import { mapLimit } from './links.js';

// Loads the planning CSVs and the freeze list from the planning root in effect, then classifies every
// episode as posted, frozen or Hot (facts §4.6). Files on the share are read in a guarded child.

export interface Episode {
  id: string;
  channel: string;
  video: string;
  progress: string;
  posted: boolean;
  frozen: boolean;
  status: StatusJson | null;
}

export interface PlanningLoad {
  episodes: Episode[];
  channels: number;
  /** Inputs that could not be read: `<file>:<line>: <why>`. */
  unreadable: string[];
  incomplete: string | null;
}

interface SourceFile {
  name: string;
  text: string | null;
  error?: string;
}

export async function loadPlanning(
  planningRoot: string,
  workspaceRoot: string,
  /** Set when the planning root is on the share: it is then read in guarded children holding this lease. */
  lease: GuardLease | undefined,
  timeoutMs: number,
): Promise<PlanningLoad> {
  const source = lease ? await readGuarded(planningRoot, timeoutMs, lease) : await readLocal(planningRoot);
  const unreadable: string[] = [];
  const byId = new Map<string, Episode>();
  const csvs = source.files.filter((f) => f.name.startsWith('channels/'));
  for (const f of csvs.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (f.text === null) {
      unreadable.push(`planning/${f.name}: ${f.error ?? 'unreadable'}`);
      continue;
    }
    const csv = parsePlanningCsv(f.text, channelFromCsvPath(f.name));
    for (const e of csv.errors) unreadable.push(`planning/${f.name}:${e.line}: ${e.message}`);
    for (const row of csv.rows) {
      if (!row.episodeId || !row.channel || byId.has(row.episodeId)) continue;
      byId.set(row.episodeId, {
        id: row.episodeId,
        channel: row.channel,
        video: row.video,
        progress: row.progress,
        posted: false,
        frozen: false,
        status: null,
      });
    }
  }
  const freezeFile = source.files.find((f) => f.name === 'hotset_freeze.json');
  const freeze = parseFreezeList(freezeFile?.text ?? '{}');
  for (const err of freezeFile?.text ? freeze.errors : []) unreadable.push(`planning/hotset_freeze.json: ${err}`);

  const episodes = [...byId.values()];
  await mapLimit(episodes, 32, async (ep) => {
    if (isEpisodePublished({ progress: ep.progress })) {
      ep.posted = true;
      return;
    }
    const file = path.join(workspaceRoot, 'scripts', ep.channel, ep.video, 'status.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        unreadable.push(`scripts/${ep.channel}/${ep.video}/status.json: ${(err as Error).message}`);
      ep.frozen = freeze.has(ep.channel, ep.video);
      return;
    }
    const parsed = parseStatusJson(text);
    if (parsed.ok) ep.status = parsed.status;
    else unreadable.push(`scripts/${ep.channel}/${ep.video}/status.json: ${parsed.error}`);
    ep.posted = isEpisodePublished({ progress: ep.progress, status: ep.status });
    ep.frozen = !ep.posted && freeze.has(ep.channel, ep.video);
  });
  return { episodes, channels: csvs.length, unreadable, incomplete: source.incomplete };
}

async function readLocal(root: string): Promise<{ files: SourceFile[]; incomplete: string | null }> {
  const names = await readdir(path.join(root, 'channels')).catch(() => [] as string[]);
  const wanted = [...names.filter(isChannelCsv).map((n) => `channels/${n}`), 'hotset_freeze.json'];
  const files = await Promise.all(
    wanted.map(async (name): Promise<SourceFile> => {
      try {
        return { name, text: await readFile(path.join(root, name), 'utf8') };
      } catch (err) {
        return { name, text: null, error: (err as Error).message };
      }
    }),
  );
  return { files: files.filter((f) => f.text !== null || f.name !== 'hotset_freeze.json'), incomplete: null };
}

async function readGuarded(
  root: string,
  timeoutMs: number,
  lease: GuardLease,
): Promise<{ files: SourceFile[]; incomplete: string | null }> {
  const listing = await runGuarded<string[]>(
    { op: 'list-dir', path: path.join(root, 'channels') },
    { timeoutMs, lease },
  );
  if (!listing.ok) return { files: [], incomplete: `planning on the share could not be listed: ${listing.message}` };
  const wanted = [...listing.value.filter(isChannelCsv).map((n) => `channels/${n}`), 'hotset_freeze.json'];
  const read = await runGuarded<ReadTextResult[]>(
    { op: 'read-text', paths: wanted.map((n) => path.join(root, n)) },
    { timeoutMs, lease },
  );
  if (!read.ok) return { files: [], incomplete: `planning on the share could not be read: ${read.message}` };
  const files = read.value.map(
    (r, i): SourceFile =>
      r.ok ? { name: wanted[i] as string, text: r.text } : { name: wanted[i] as string, text: null, error: r.error },
  );
  return { files: files.filter((f) => f.text !== null || f.name !== 'hotset_freeze.json'), incomplete: null };
}

function isChannelCsv(name: string): boolean {
  return /^CH\d{1,3}\.csv$/i.test(name);
}

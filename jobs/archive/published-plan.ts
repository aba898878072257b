// `archive published`'s read-only plan (archive_published_episodes, facts §4.12): for every posted, unfrozen
// episode of the channel, per domain, what is deleted (with --delete: audio/final, local CapCut drafts, video
// input, exports) and what is archived by a rename into the domain's `_archive/<STAMP>/` (thumbnails and video
// runs always). A domain root whose real path leaves the workspace (or the share, for exports) is skipped.
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../../lib/fs/contain.js';
import { lstatOrNull } from '../../lib/fs/exists.js';
import { blockingLocksForFile, readActiveLocks } from '../../lib/locks/coordination.js';
import type { JsonObject, JsonValue, Refusal } from '../../lib/plan/types.js';
import { groupRunsByEpisode } from '../../lib/planning/runs.js';
import { stampOf } from '../engine/stamp.js';
import type { JobContext, PlanDraft } from '../engine/types.js';
import { probeShare } from '../store/target.js';
import type { ArchiveAction } from './actions.js';
import { type ArchivePublishedInput, DELETABLE, type Domain } from './input.js';
import { incompleteReports } from './ledger.js';
import { archiveDest, domainRoots, listSources } from './sources.js';
import { openStandings } from './standing.js';
import { moveSummary, planMove } from './summary.js';
import { treeSize } from './tree.js';

export const publishedReportDir = (ctx: JobContext) =>
  path.join(ctx.paths.workspaceRoot, 'logs', 'regression', 'archive_published_episodes');

interface Skipped {
  action: 'archive' | 'delete';
  domain: Domain;
  channel: string;
  video: string;
  src: string;
  dest: string | null;
  executed: false;
  reason: string;
  lock_id?: string;
  lock_scopes?: string[];
}

async function realInside(root: string, p: string): Promise<boolean> {
  const [r, q] = await Promise.all([realpath(root).catch(() => null), realpath(p).catch(() => null)]);
  return r !== null && q !== null && isInside(r, q);
}

export async function planArchivePublished(input: ArchivePublishedInput, ctx: JobContext): Promise<PlanDraft> {
  const refusals: Refusal[] = [];
  const warnings: string[] = [];
  const standings = await openStandings(ctx);
  for (const p of standings.problems) {
    refusals.push({
      code: 'PLANNING_UNREADABLE',
      message: `${p}: posted and frozen episodes cannot be told apart, nothing is archived`,
    });
  }
  const domains = [...input.domains];
  if (domains.includes('exports')) {
    const state = ctx.paths.sharedRoot ? (await probeShare(ctx)).state : 'unconfigured';
    if (state !== 'up') {
      warnings.push(`exports are on the share, which is ${state}: they are left out of this plan`);
      domains.splice(domains.indexOf('exports'), 1);
    }
  }
  if (input.delete) {
    for (const d of domains.filter((x) => !DELETABLE.includes(x)))
      warnings.push(`${d} are only ever archived, never deleted (--delete does not apply to them)`);
  }
  const roots = domainRoots(ctx);
  const ws = ctx.paths.workspaceRoot;
  const skipped: Skipped[] = [];
  const usable: Domain[] = [];
  for (const d of domains) {
    const r = roots[d];
    const within = d === 'exports' ? (ctx.paths.sharedRoot as string) : ws;
    if (r && (await lstatOrNull(r.root)) && !(await realInside(within, r.root))) {
      warnings.push(`${d}: ${r.root} leads outside ${within}; the domain is left out (out_of_scope_src)`);
    } else usable.push(d);
  }

  const runIds = await readdir(path.join(ws, 'video', 'runs')).catch(() => [] as string[]);
  const runNames = groupRunsByEpisode(runIds.sort()).byEpisode;
  const retentionMs = ctx.config.YTM_EXPORT_RETENTION_HOURS * 3_600_000;
  const all = await listSources(ctx, input.channel, usable, runNames, ctx.now().getTime() - retentionMs);
  const sources = all.filter((s) => input.videos.length === 0 || input.videos.includes(s.episode.slice(5)));
  const locks = await readActiveLocks(ctx.paths.agentQueueDir, { now: ctx.now() });
  const stamp = stampOf(ctx.now());
  const report = path.join(publishedReportDir(ctx), `archive_published_episodes_${stamp}.json`);
  const episodes: JsonObject = {};
  const sizes: JsonObject = {};
  const changes: ArchiveAction[] = [];
  const items: JsonObject[] = [];

  for (const s of sources.sort((a, b) => (a.src < b.src ? -1 : 1))) {
    const standing = standings.of(s.episode);
    episodes[s.episode] = { posted: standing.posted, frozen: standing.frozen };
    const del = input.delete && DELETABLE.includes(s.domain);
    const r = roots[s.domain] as { archive: string };
    const dest = del ? null : archiveDest(r.archive, stamp, s);
    const base = {
      action: del ? 'delete' : 'archive',
      domain: s.domain,
      channel: input.channel,
      video: s.episode.slice(5),
      src: s.src,
      dest,
    } as const;
    if (!standing.touchable) {
      skipped.push({ ...base, executed: false, reason: standing.frozen ? 'frozen' : 'unposted' });
      continue;
    }
    const lock = (await blockingLocksForFile(ctx.paths.repoRoot, s.src, locks, { now: ctx.now() }))[0];
    if (lock) {
      skipped.push({ ...base, executed: false, reason: 'blocked_by_lock', lock_id: lock.id, lock_scopes: lock.scopes });
      continue;
    }
    if (s.domain === 'video_runs' && (await lstatOrNull(path.join(s.src, '.keep')))) {
      skipped.push({ ...base, executed: false, reason: 'keep_marker' });
      continue;
    }
    const key = `${s.domain}:${s.src}`;
    const label = `${s.episode} ${s.domain.replace('_', ' ')}`;
    if (dest) {
      const planned = await planMove(s.src, dest, ctx);
      if (planned.destExists)
        refusals.push({ code: 'DESTINATION_EXISTS', message: `${dest} already exists; nothing is moved onto it` });
      // A move keeps every byte, so its precondition is how it moves; what a delete frees is its precondition.
      sizes[key] = { sameDevice: planned.sameDevice };
      changes.push({
        op: 'move',
        key,
        src: s.src,
        dest,
        report,
        kind: 'published',
        label,
        ...planned.size,
        sameDevice: planned.sameDevice,
      });
    } else {
      const size = treeSize(s.src);
      sizes[key] = { ...size };
      changes.push({ op: 'delete', key, src: s.src, report, kind: 'published', label, ...size });
    }
    items.push({ ...base, key, executed: false });
  }

  const perDomain = usable
    .map((d) => {
      const mine = changes.filter((c) => c.op !== 'reconcile' && 'label' in c && c.key.startsWith(`${d}:`));
      if (mine.length === 0) return null;
      return `${d}: ${mine.length} ${mine[0]?.op === 'delete' ? 'deleted' : 'archived'} (${moveSummary(mine)})`;
    })
    .filter(Boolean);
  const content: JsonObject = {
    schema: 'ytm.ops.archive_published_episodes_report.v2',
    generated_at: ctx.now().toISOString(),
    dry_run: false,
    channels: [input.channel],
    videos_filter: input.videos,
    domains: usable,
    archive_stamp: stamp,
    lock_ignore_created_by: [],
    counts: { planned_moves: items.length, executed_moves: 0, skipped: skipped.length, missing: 0 },
    items,
    skipped: skipped as unknown as JsonValue,
    missing: [],
    notes: {
      sot: 'planning 進捗 posted (loose) or status.json published_lock, and not in hotset_freeze.json',
      action: input.delete ? 'delete' : 'archive',
      archive_roots: {
        audio: path.join(ws, 'audio', '_archive_audio', stamp),
        thumbnails: path.join(ws, 'thumbnails', '_archive', stamp),
        video: path.join(ws, 'video', '_archive', stamp),
      },
      repo_root: ctx.paths.repoRoot,
    },
    tool: { argv: ['ytm', 'archive', 'published'], cwd: ws },
    ytm_ops: { job: 'archive published', complete: false },
  };
  const unfinished = await incompleteReports(
    publishedReportDir(ctx),
    (n) => n.startsWith('archive_published_episodes_'),
    0,
  );
  const actions: ArchiveAction[] = [
    ...unfinished.map((f): ArchiveAction => ({ op: 'reconcile', report: f, kind: 'published' })),
    ...(changes.length > 0
      ? [
          { op: 'report-open', report, content } as ArchiveAction,
          ...changes,
          { op: 'report-close', report, kind: 'published' } as ArchiveAction,
        ]
      : []),
  ];
  const untouched = skipped.filter((s) => s.reason === 'unposted' || s.reason === 'frozen').length;
  return {
    preconditions: {
      episodes,
      sources: sizes,
      locks: skipped.filter((s) => s.lock_id).map((s) => s.lock_id as string),
      unfinishedReports: unfinished,
    },
    actions: actions as unknown as JsonValue[],
    warnings,
    refusals,
    summary:
      changes.length === 0
        ? `archive published ${input.channel}: nothing to do${untouched ? ` (${untouched} item(s) of unposted or frozen episodes left alone)` : ''}`
        : `archive published ${input.channel}: ${perDomain.join('; ')}${skipped.length ? `; ${skipped.length} skipped` : ''}`,
  };
}

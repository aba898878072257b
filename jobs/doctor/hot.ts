import type { Dirent } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { isInside } from '../../lib/fs/contain.js';
import { errCode, isMissingError } from '../../lib/fs/errors.js';
import { pathKey } from '../../lib/fs/real-path.js';
import type { Paths } from '../../lib/paths.js';
import { draftLocation, parseCapcutDraftInfo } from '../../lib/planning/draft-info.js';
import { groupRunsByEpisode, type RunCandidate, selectRun } from '../../lib/planning/runs.js';
import { remoteRootOf } from '../../lib/share/network-mounts.js';
import { finding, Tally } from './findings.js';
import { couldNotCheck, type LinkInfo, mapLimit } from './links.js';
import type { Episode } from './planning.js';
import type { Finding } from './report.js';

// P0: a Hot (unposted, not frozen) episode's CapCut draft must be on the Mac (facts §4.7, OPS_HOTSET_POLICY).
// Paths on the share or any other network mount are classified by prefix and never stat'ed. A draft whose stat
// fails with anything but ENOENT/ENOTDIR/ELOOP (EPERM from macOS privacy settings, EIO) is "could not check",
// not HOT_DRAFT_MISSING.

const DRAFT_INFO = 'capcut_draft_info.json';
const DRAFT_LINK = 'capcut_draft';

export async function checkHot(
  episodes: Episode[],
  paths: Paths,
  links: Map<string, LinkInfo>,
  runsListing: Map<string, Dirent[]>,
  /** Network mountpoints other than the share (LinkScan.networkRoots). */
  networkRoots: readonly string[],
): Promise<{ findings: Finding[]; unreadable: string[]; incomplete: string | null }> {
  const runsRoot = path.join(paths.workspaceRoot, 'video', 'runs');
  const runDirs = (runsListing.get(runsRoot) ?? []).filter((e) => e.isDirectory()).map((e) => e.name);
  const runsByEpisode = groupRunsByEpisode(runDirs).byEpisode;
  const tallies = {
    HOT_RUN_SYMLINK_BROKEN: new Tally(),
    HOT_DRAFT_MISSING: new Tally(),
    HOT_POINTS_TO_SHARE: new Tally(),
    VIDEO_RUN_MISSING: new Tally(),
  };
  const unreadable: string[] = [];
  const unchecked: { ref: string; code: string }[] = [];
  const roots = {
    repo: paths.repoRoot,
    workspace: paths.workspaceRoot,
    capcut_draft_root: paths.capcutDraftRoot,
    capcut_fallback_root: paths.capcutFallbackRoot,
  };
  const localRoots = [paths.workspaceRoot, paths.capcutDraftRoot, paths.capcutFallbackRoot, homedir()];
  // Draft paths come from JSON, roots from .env and the disk: compared in NFC (macOS writes names as NFD).
  const onShare = (p: string) => paths.sharedRoot !== null && isInside(paths.sharedRoot, p, { caseInsensitive: true });
  const hot = episodes.filter((e) => !e.posted && !e.frozen).sort((a, b) => (a.id < b.id ? -1 : 1));
  // What is wrong with each episode, by code; a reference is e.g. "CH01-003_v1/capcut_draft -> /share/…".
  const results = new Map<string, { kind: keyof typeof tallies; ref: string }[]>();

  await mapLimit(hot, 16, async (ep) => {
    const out: { kind: keyof typeof tallies; ref: string }[] = [];
    results.set(ep.id, out);
    const runIds = runsByEpisode.get(ep.id) ?? [];
    if (runIds.length === 0) {
      out.push({ kind: 'VIDEO_RUN_MISSING', ref: '' });
      return;
    }
    const candidates: RunCandidate[] = await Promise.all(
      runIds.map(async (runId) => {
        const listing = runsListing.get(path.join(runsRoot, runId)) ?? [];
        const hasDraftInfo = listing.some((d) => d.name === DRAFT_INFO);
        // mtime only matters for ranking between several runs.
        const mtimeMs =
          runIds.length > 1
            ? await stat(path.join(runsRoot, runId)).then(
                (s) => s.mtimeMs,
                () => 0,
              )
            : 0;
        return { runId, hasDraftInfo, mtimeMs };
      }),
    );
    const { run } = selectRun(candidates, ep.status?.metadata?.video_run_id ?? null);
    if (!run) return;
    const runDir = path.join(runsRoot, run.runId);
    const link = links.get(path.join(runDir, DRAFT_LINK));
    if (link?.intoShare) out.push({ kind: 'HOT_POINTS_TO_SHARE', ref: `${run.runId}/${DRAFT_LINK} -> ${link.target}` });
    else if (link?.verdict === 'broken')
      out.push({ kind: 'HOT_RUN_SYMLINK_BROKEN', ref: `${run.runId}/${DRAFT_LINK} -> ${link.target}` });
    if (!run.hasDraftInfo) return;
    let text: string;
    try {
      text = await readFile(path.join(runDir, DRAFT_INFO), 'utf8');
    } catch (err) {
      unreadable.push(`video/runs/${run.runId}/${DRAFT_INFO}: ${(err as Error).message}`);
      return;
    }
    const info = parseCapcutDraftInfo(text);
    if (!info.ok) {
      unreadable.push(`video/runs/${run.runId}/${DRAFT_INFO}: ${info.error}`);
      return;
    }
    const where = draftLocation(info.info, roots);
    if (!where.path) return;
    if (onShare(where.path)) {
      out.push({ kind: 'HOT_POINTS_TO_SHARE', ref: `draft ${where.path}` });
      return;
    }
    const remote = remoteRootOf(where.path, networkRoots);
    if (remote) {
      out.push({ kind: 'HOT_POINTS_TO_SHARE', ref: `draft ${where.path} (network volume ${remote})` });
      return;
    }
    // A path outside every local root was written on another host: "unresolved", not "missing" (facts §3.4).
    const draftKey = pathKey(where.path, false);
    if (!localRoots.some((r) => isInside(pathKey(r, false), draftKey))) return;
    const draft = where.path;
    const state = await stat(draft).then(
      (s) => (s.isDirectory() ? 'ok' : 'missing'),
      (err: unknown) => (isMissingError(err) ? 'missing' : (errCode(err) ?? 'unknown')),
    );
    if (state === 'missing')
      out.push({ kind: 'HOT_DRAFT_MISSING', ref: `${run.runId} draft not on this Mac: ${draft}` });
    else if (state !== 'ok') unchecked.push({ ref: `${ep.id} (${draft})`, code: state });
  });

  // Every HOT_* code counts episodes (as the predecessor's doctor did): an episode whose link and draft_path
  // both point into the share counts once, with both references in its example.
  for (const ep of hot) {
    const found = results.get(ep.id) ?? [];
    for (const kind of new Set(found.map((r) => r.kind))) {
      const refs = found.filter((r) => r.kind === kind && r.ref !== '').map((r) => r.ref);
      tallies[kind].add(refs.length > 0 ? `${ep.id}: ${refs.join('; ')}` : ep.id);
    }
  }
  const findings: Finding[] = [];
  const messages: Record<keyof typeof tallies, (n: number) => string> = {
    HOT_RUN_SYMLINK_BROKEN: (n) => `${n} Hot run(s) whose capcut_draft link is broken`,
    HOT_DRAFT_MISSING: (n) => `${n} Hot draft(s) not found on this Mac`,
    HOT_POINTS_TO_SHARE: (n) =>
      `${n} Hot episode(s) whose CapCut draft points into the share; Hot assets must be local`,
    VIDEO_RUN_MISSING: (n) => `${n} Hot episode(s) have no video run yet`,
  };
  for (const kind of Object.keys(tallies) as (keyof typeof tallies)[]) {
    const t = tallies[kind];
    if (t.count > 0) findings.push(finding(kind, t.count, messages[kind](t.count), t.examples));
  }
  unchecked.sort((a, b) => (a.ref < b.ref ? -1 : 1));
  const incomplete =
    unchecked.length > 0
      ? couldNotCheck(
          `the CapCut drafts of ${unchecked.length} Hot episode(s), e.g. ${unchecked[0]?.ref},`,
          unchecked.map((u) => u.code),
        )
      : null;
  return { findings, unreadable, incomplete };
}

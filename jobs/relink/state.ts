// Where an episode's CapCut draft wiring stands: its selected run (lib/planning/runs.ts, the doctor's rule), the
// run's `capcut_draft` link and `capcut_draft_info.json`, and in words why they are broken. Read-only. A path on
// the share is classified by prefix and never stat'ed (a hung share would block).
import { readdir, readFile, readlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { isInside } from '../../lib/fs/contain.js';
import { lstatOrNull, statOrNull } from '../../lib/fs/exists.js';
import { sha256Hex } from '../../lib/fs/hash.js';
import type { JsonValue } from '../../lib/plan/types.js';
import { draftLocation, type PathRefRoots, parseCapcutDraftInfo } from '../../lib/planning/draft-info.js';
import { splitEpisodeId } from '../../lib/planning/episode.js';
import { groupRunsByEpisode, type RunCandidate, selectRun } from '../../lib/planning/runs.js';
import { readStatusJson } from '../../lib/planning/status.js';
import type { JobContext } from '../engine/types.js';

export const DRAFT_LINK = 'capcut_draft';
export const DRAFT_INFO = 'capcut_draft_info.json';

export interface SelectedRun {
  runId: string;
  dir: string;
  via: 'video_run_id' | 'ranking';
  /** status.json named a run that is not in video/runs. */
  videoRunIdMissing: boolean;
  /** How many runs the episode has. */
  runs: number;
}

export type PlaceState = 'ok' | 'missing' | 'into_share' | 'unresolved';

export interface LinkState {
  path: string;
  kind: 'missing' | 'symlink' | 'directory' | 'other';
  target: string | null;
  /** For a symlink: where it leads (absolute, lexical). */
  resolved: string | null;
  state: PlaceState | null;
}

export interface InfoState {
  path: string;
  exists: boolean;
  /** SHA-256 of the file as read (null when missing or unreadable): a plan's fact about it. */
  sha256: string | null;
  error: string | null;
  draftPath: string | null;
  draftPathRef: JsonValue;
  resolved: string | null;
  via: 'path_ref' | 'draft_path' | null;
  state: PlaceState | null;
}

export interface WiringState {
  episode: string;
  run: SelectedRun | null;
  link: LinkState | null;
  info: InfoState | null;
  /** Why the wiring is broken, in words; empty when it is healthy. */
  problems: string[];
}

export function pathRefRoots(ctx: JobContext): PathRefRoots {
  const p = ctx.paths;
  return {
    repo: p.repoRoot,
    workspace: p.workspaceRoot,
    capcut_draft_root: p.capcutDraftRoot,
    capcut_fallback_root: p.capcutFallbackRoot,
  };
}

/** The doctor's rule (jobs/doctor/hot.ts): status.json `video_run_id` when present, else the ranking. */
export async function selectEpisodeRun(ctx: JobContext, episode: string): Promise<SelectedRun | null> {
  const runsRoot = path.join(ctx.paths.workspaceRoot, 'video', 'runs');
  const names = await readdir(runsRoot, { withFileTypes: true }).then(
    (d) => d.filter((e) => e.isDirectory()).map((e) => e.name),
    () => [] as string[],
  );
  const runIds = groupRunsByEpisode(names).byEpisode.get(episode) ?? [];
  const candidates: RunCandidate[] = await Promise.all(
    runIds.map(async (runId) => {
      const dir = path.join(runsRoot, runId);
      const hasDraftInfo = (await lstatOrNull(path.join(dir, DRAFT_INFO)))?.isFile() === true;
      return { runId, hasDraftInfo, mtimeMs: (await statOrNull(dir))?.mtimeMs ?? 0 };
    }),
  );
  const parts = splitEpisodeId(episode);
  const status = parts
    ? await readStatusJson(path.join(ctx.paths.workspaceRoot, 'scripts', parts.channel, parts.video, 'status.json'))
    : null;
  const videoRunId = status?.ok ? (status.status.metadata?.video_run_id ?? null) : null;
  const { run, via, videoRunIdMissing } = selectRun(candidates, videoRunId);
  if (!run || !via) return null;
  return { runId: run.runId, dir: path.join(runsRoot, run.runId), via, videoRunIdMissing, runs: runIds.length };
}

/** Local roots a draft may be on; a path outside all of them was written on another host. */
function placeOf(ctx: JobContext, p: string): Promise<PlaceState> | PlaceState {
  const { sharedRoot, workspaceRoot, capcutDraftRoot, capcutFallbackRoot } = ctx.paths;
  if (sharedRoot && isInside(sharedRoot, p, { caseInsensitive: true })) return 'into_share';
  const local = [workspaceRoot, capcutDraftRoot, capcutFallbackRoot, homedir()];
  if (!local.some((r) => isInside(r, p))) return 'unresolved';
  return statOrNull(p).then(
    (s) => (s?.isDirectory() ? 'ok' : 'missing'),
    () => 'missing' as const,
  );
}

export async function linkState(ctx: JobContext, runDir: string): Promise<LinkState> {
  const p = path.join(runDir, DRAFT_LINK);
  const st = await lstatOrNull(p);
  if (!st) return { path: p, kind: 'missing', target: null, resolved: null, state: null };
  if (st.isDirectory()) return { path: p, kind: 'directory', target: null, resolved: null, state: null };
  if (!st.isSymbolicLink()) return { path: p, kind: 'other', target: null, resolved: null, state: null };
  const target = await readlink(p);
  const resolved = path.resolve(runDir, target);
  const place = await placeOf(ctx, resolved);
  // A relative or odd target on this Mac is still this Mac's: unresolved only applies to info paths.
  const state =
    place === 'unresolved'
      ? await statOrNull(resolved).then(
          (s) => (s?.isDirectory() ? 'ok' : 'missing'),
          () => 'missing' as const,
        )
      : place;
  return { path: p, kind: 'symlink', target, resolved, state };
}

export async function infoState(ctx: JobContext, runDir: string): Promise<InfoState> {
  const p = path.join(runDir, DRAFT_INFO);
  const base: InfoState = {
    path: p,
    exists: false,
    sha256: null,
    error: null,
    draftPath: null,
    draftPathRef: null,
    resolved: null,
    via: null,
    state: null,
  };
  let text: string;
  try {
    text = await readFile(p, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? base : { ...base, exists: true, error: `cannot read it (${code ?? err})` };
  }
  const sha256 = sha256Hex(text);
  const parsed = parseCapcutDraftInfo(text);
  if (!parsed.ok) return { ...base, exists: true, sha256, error: parsed.error };
  const where = draftLocation(parsed.info, pathRefRoots(ctx));
  return {
    ...base,
    exists: true,
    sha256,
    draftPath: parsed.info.draft_path ?? null,
    draftPathRef: (parsed.info.draft_path_ref ?? null) as JsonValue,
    resolved: where.path,
    via: where.via,
    state: where.path ? await placeOf(ctx, where.path) : null,
  };
}

const PLACE_WORDS: Record<Exclude<PlaceState, 'ok'>, string> = {
  missing: 'that folder does not exist on this Mac (renamed, cut short or deleted)',
  into_share: 'that is on the share: a Hot draft must be on the Mac',
  unresolved: 'that is outside every local root (written on another host?)',
};

export function wiringProblems(link: LinkState | null, info: InfoState | null): string[] {
  const out: string[] = [];
  if (link) {
    if (link.kind === 'missing') out.push(`${DRAFT_LINK} does not exist`);
    else if (link.kind === 'directory')
      out.push(`${DRAFT_LINK} is a real folder, not a link: relink never replaces it (move it aside by hand first)`);
    else if (link.kind === 'other') out.push(`${DRAFT_LINK} is a file, not a link: relink never replaces it`);
    else if (link.state && link.state !== 'ok') out.push(`${DRAFT_LINK} → ${link.target}: ${PLACE_WORDS[link.state]}`);
  }
  if (info) {
    const field = info.via === 'path_ref' ? 'draft_path_ref' : 'draft_path';
    if (!info.exists) out.push(`${DRAFT_INFO} is missing (a relink writes it)`);
    else if (info.error) out.push(`${DRAFT_INFO}: ${info.error}`);
    else if (!info.resolved) out.push(`${DRAFT_INFO} names no draft (no draft_path_ref or draft_path)`);
    else if (info.state && info.state !== 'ok') out.push(`${field} → ${info.resolved}: ${PLACE_WORDS[info.state]}`);
  }
  if (link?.state === 'ok' && info?.state === 'ok' && link.resolved && info.resolved) {
    if (path.resolve(link.resolved).normalize('NFC') !== path.resolve(info.resolved).normalize('NFC')) {
      out.push(`${DRAFT_LINK} and ${DRAFT_INFO} name different drafts`);
    }
  }
  return out;
}

export async function wiringState(ctx: JobContext, episode: string): Promise<WiringState> {
  const run = await selectEpisodeRun(ctx, episode);
  if (!run) return { episode, run: null, link: null, info: null, problems: [`${episode} has no video run`] };
  const link = await linkState(ctx, run.dir);
  const info = await infoState(ctx, run.dir);
  return { episode, run, link, info, problems: wiringProblems(link, info) };
}

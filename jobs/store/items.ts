// What a store request means in files: each item is one source in the workspace and its place under
// `uploads/<ns>/`. File form: one user path (its real path inside the workspace; episode from its folders or name).
// Episode form: script, WAV, SRT and optionally the Remotion mp4 (facts §4.11).
import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';
import { ContainmentError, isInside } from '../../lib/fs/contain.js';
import { errCode } from '../../lib/fs/errors.js';
import { finderMetadataReason } from '../../lib/fs/finder-metadata.js';
import { type RealPath, realPathUnder } from '../../lib/fs/real-path.js';
import type { Refusal } from '../../lib/plan/types.js';
import { episodeFromRunName, splitEpisodeId } from '../../lib/planning/episode.js';
import { inferEpisode, runIdOf } from './episode-path.js';
import type { StoreInput } from './input.js';
import { inferKind, isHeavy, type StoreKind } from './kinds.js';

export type After = 'keep' | 'symlink-back' | 'move';

export interface StoreItem {
  src: string;
  /** Workspace-relative, POSIX. */
  rel: string;
  kind: StoreKind;
  episode: string | null;
  /** Relative to `uploads/<ns>/`, POSIX. */
  destRel: string;
  after: After;
}

export interface ItemsResult {
  items: StoreItem[];
  /** Items already replaced by a link to their stored copy: nothing to do. */
  alreadyLinked: { rel: string; target: string }[];
  refusals: Refusal[];
}

function destRelFor(kind: StoreKind, episode: string | null, fileName: string): string {
  const parts = episode ? splitEpisodeId(episode) : null;
  return parts ? `${kind}/${parts.channel}/${parts.video}/${fileName}` : `${kind}/${fileName}`;
}

/** Folders whose files are only ever archived (DESIGN, Safety rules), so `--move` may not take them away. */
const ARCHIVE_ONLY = ['thumbnails/', 'video/runs/'];

type Resolved = { ok: true; real: RealPath & { rel: string; key: string } } | { ok: false; refusal: Refusal };

/**
 * The source must be inside the workspace lexically (no `..`) and physically: its real folder (symlinks
 * resolved) is what every guard judges. The source's own name is kept as given, so a source that is itself a
 * link is seen as a link (and then refused, or recognised as already linked back) instead of being followed.
 */
async function contain(workspace: string, userPath: string): Promise<Resolved> {
  try {
    if (userPath.includes('\0')) throw new ContainmentError(workspace, userPath, 'it contains a NUL byte');
    const lexical = path.resolve(workspace, userPath);
    const lexicallyInside = isInside(workspace, lexical);
    if (!lexicallyInside && !path.isAbsolute(userPath)) {
      throw new ContainmentError(workspace, userPath, `it resolves to ${JSON.stringify(lexical)}`);
    }
    // An absolute path is judged like the root, by its real location: the root may be configured in another
    // letter case than the disk has (a Mac), and the path typed or pasted as the disk spells it.
    const real = await realPathUnder(workspace, lexical);
    if (real.rel === null || real.key === null) {
      const how = lexicallyInside ? 'a symlink leads to' : 'it resolves to';
      throw new ContainmentError(workspace, userPath, `${how} ${JSON.stringify(real.abs)}`);
    }
    return { ok: true, real: { ...real, rel: real.rel, key: real.key } };
  } catch (err) {
    if (!(err instanceof ContainmentError)) {
      // A symlink loop or an unreadable folder on the way is bad input too: refuse, naming the path.
      const code = errCode(err);
      if (!code) throw err;
      return {
        ok: false,
        refusal: {
          code: 'PATH_UNRESOLVABLE',
          message: `refused: ${JSON.stringify(userPath)} cannot be resolved inside the workspace (${code}: ${(err as Error).message})`,
        },
      };
    }
    return {
      ok: false,
      refusal: {
        code: 'PATH_OUTSIDE_WORKSPACE',
        message: `refused: ${err.message}; relative paths are read from the current folder when it is inside the workspace, otherwise from the workspace root, and must stay inside it`,
      },
    };
  }
}

type SourceState =
  | { kind: 'file' }
  | { kind: 'missing' }
  | { kind: 'link'; target: string }
  | { kind: 'other'; what: string };

async function sourceState(abs: string): Promise<SourceState> {
  try {
    const st = await lstat(abs);
    if (st.isFile()) return { kind: 'file' };
    if (st.isSymbolicLink()) return { kind: 'link', target: await readlink(abs) };
    return { kind: 'other', what: st.isDirectory() ? 'a directory' : 'not a regular file' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    throw err;
  }
}

/**
 * Classify one candidate. A link pointing at `expectedDest` is an item already stored and linked back;
 * any other link is refused (store the file it points to instead).
 */
async function classify(
  out: ItemsResult,
  item: StoreItem,
  expectedDest: (destRel: string) => string,
  missingCode: string,
): Promise<void> {
  const st = await sourceState(item.src);
  if (st.kind === 'file') {
    out.items.push(item);
    return;
  }
  // The link's target is read from disk, the expected one built from names: compared in NFC.
  if (st.kind === 'link' && st.target.normalize('NFC') === expectedDest(item.destRel).normalize('NFC')) {
    out.alreadyLinked.push({ rel: item.rel, target: st.target });
    return;
  }
  const why =
    st.kind === 'missing'
      ? 'does not exist'
      : st.kind === 'link'
        ? `is a symlink (to ${st.target}); store the file it points to`
        : `is ${st.what}; only regular files can be stored`;
  const tried = st.kind === 'missing' ? ` (looked for ${item.src})` : '';
  out.refusals.push({
    code: st.kind === 'missing' ? missingCode : 'SOURCE_NOT_FILE',
    message: `${item.rel} ${why}${tried}`,
  });
}

export async function storeItems(
  input: StoreInput,
  workspace: string,
  expectedDest: (destRel: string) => string,
): Promise<ItemsResult> {
  const out: ItemsResult = { items: [], alreadyLinked: [], refusals: [] };
  const after: After = input.mode === 'symlink-back' ? 'symlink-back' : input.mode === 'move' ? 'move' : 'keep';
  if (input.path !== null) {
    if (input.episode !== null && !splitEpisodeId(input.episode)) {
      out.refusals.push({ code: 'BAD_EPISODE', message: `expected an episode id like CH02-043, got ${input.episode}` });
      return out;
    }
    const r = await contain(workspace, input.path);
    if (!r.ok) {
      out.refusals.push(r.refusal);
      return out;
    }
    // Every guard below judges the real path (`key`: compared without case where the volume ignores it).
    const { rel, key } = r.real;
    if (rel === '') {
      out.refusals.push({ code: 'SOURCE_NOT_FILE', message: 'the workspace root itself cannot be stored' });
      return out;
    }
    const finder = finderMetadataReason(path.basename(rel));
    if (finder) {
      out.refusals.push({ code: 'FINDER_METADATA', message: `${rel} is ${finder}, not media; it is never stored` });
      return out;
    }
    const inferred = inferEpisode(key);
    if (input.episode && inferred && input.episode !== inferred) {
      out.refusals.push({
        code: 'EPISODE_MISMATCH',
        message: `${rel} belongs to ${inferred} (by its folder or name) but --episode says ${input.episode}`,
      });
      return out;
    }
    const archiveOnly = ARCHIVE_ONLY.find((dir) => key.startsWith(dir));
    if (after === 'move' && archiveOnly) {
      // DESIGN: thumbnails and video runs are archived, never deleted; --move would remove the Hot copy the UI
      // and the runs read. --symlink-back keeps a working path.
      out.refusals.push({
        code: 'ARCHIVE_ONLY',
        message: `${rel} is under ${archiveOnly}, which is archived, never deleted: use --symlink-back instead of --move`,
      });
      return out;
    }
    const episode = input.episode ?? inferred;
    const kind = input.kind ?? inferKind(key);
    const run = runIdOf(key, rel);
    const fileName = kind === 'remotion_mp4' && run ? `${run}${path.extname(rel) || '.mp4'}` : path.basename(rel);
    await classify(
      out,
      { src: r.real.abs, rel, kind, episode, destRel: destRelFor(kind, episode, fileName), after },
      expectedDest,
      'SOURCE_MISSING',
    );
    return out;
  }

  const episode = input.episode as string;
  const parts = splitEpisodeId(episode);
  if (!parts) {
    out.refusals.push({ code: 'BAD_EPISODE', message: `expected an episode id like CH02-043, got ${episode}` });
    return out;
  }
  const { channel: ch, video: no } = parts;
  const candidates: { rel: string; kind: StoreKind; fileName: string }[] = [
    { rel: `scripts/${ch}/${no}/content/assembled_human.md`, kind: 'scripts', fileName: 'assembled_human.md' },
    { rel: `audio/final/${ch}/${no}/${episode}.wav`, kind: 'audio_final', fileName: `${episode}.wav` },
    { rel: `audio/final/${ch}/${no}/${episode}.srt`, kind: 'audio_final', fileName: `${episode}.srt` },
  ];
  if (input.includeRemotion && input.runId) {
    if (episodeFromRunName(input.runId) !== episode) {
      out.refusals.push({
        code: 'RUN_EPISODE_MISMATCH',
        message: `run ${input.runId} does not belong to ${episode} (run ids start with the episode id)`,
      });
      return out;
    }
    candidates.push({
      rel: `video/runs/${input.runId}/remotion/output/final.mp4`,
      kind: 'remotion_mp4',
      fileName: `${input.runId}.mp4`,
    });
  }
  for (const c of candidates) {
    const r = await contain(workspace, c.rel);
    if (!r.ok) {
      out.refusals.push(r.refusal);
      continue;
    }
    const itemAfter: After = after === 'symlink-back' && isHeavy(c.fileName) ? 'symlink-back' : 'keep';
    await classify(
      out,
      {
        src: r.real.abs,
        rel: r.real.rel,
        kind: c.kind,
        episode,
        destRel: destRelFor(c.kind, episode, c.fileName),
        after: itemAfter,
      },
      expectedDest,
      'MISSING_ITEM',
    );
  }
  return out;
}

// What belongs to one episode in each domain (archive_published_episodes, facts §4.12), found by listing the
// domain roots. Exports are listed on the share (the caller has probed it up).
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { episodeFromDraftName } from '../../lib/planning/episode.js';
import type { JobContext } from '../engine/types.js';
import type { Domain } from './input.js';

export interface Source {
  domain: Domain;
  episode: string;
  src: string;
  /** Where it goes below the archive stamp folder of its domain. */
  rel: string;
}

async function list(dir: string): Promise<Dirent[]> {
  return readdir(dir, { withFileTypes: true }).catch(() => [] as Dirent[]);
}

/** archive_capcut_local_drafts' protected names: hidden, `_archive`, templates and `XXX` placeholders. */
function protectedDraftName(name: string): boolean {
  return /^[._]/.test(name) || /テンプレ|template|xxx/i.test(name);
}

/** The folder each domain lives in, and where its archive stamps go. */
export function domainRoots(ctx: JobContext): Record<Domain, { root: string; archive: string } | null> {
  const ws = ctx.paths.workspaceRoot;
  return {
    audio: { root: path.join(ws, 'audio', 'final'), archive: path.join(ws, 'audio', '_archive_audio') },
    thumbnails: { root: path.join(ws, 'thumbnails', 'assets'), archive: path.join(ws, 'thumbnails', '_archive') },
    video_input: { root: path.join(ws, 'video', 'input'), archive: path.join(ws, 'video', '_archive') },
    video_runs: { root: path.join(ws, 'video', 'runs'), archive: path.join(ws, 'video', '_archive') },
    capcut_drafts: { root: ctx.paths.capcutFallbackRoot, archive: path.join(ws, 'video', '_archive') },
    exports: ctx.paths.sharedRoot
      ? {
          root: path.join(ctx.paths.sharedRoot, 'capcut_exports'),
          archive: path.join(ctx.paths.sharedRoot, 'capcut_exports', '_archive'),
        }
      : null,
  };
}

/** Destination of a source: `<archive>/<STAMP>/<CH>/…` in the predecessor's layout per domain. */
export function archiveDest(archive: string, stamp: string, s: Source): string {
  const ch = s.episode.slice(0, 4);
  if (s.domain === 'audio' || s.domain === 'exports') return path.join(archive, stamp, s.rel);
  if (s.domain === 'thumbnails') return path.join(archive, stamp, ch, 'assets', s.rel);
  const sub = { video_input: 'video_input', video_runs: 'runs', capcut_drafts: 'capcut_drafts' }[s.domain];
  return path.join(archive, stamp, ch, sub, s.rel);
}

/** Every source of `channel` per domain; `exportsBefore` (ms) keeps exports older than the retention only. */
export async function listSources(
  ctx: JobContext,
  channel: string,
  domains: readonly Domain[],
  runEpisodes: Map<string, string[]>,
  exportsBefore: number,
): Promise<Source[]> {
  const roots = domainRoots(ctx);
  const out: Source[] = [];
  const want = new Set(domains);
  const num = (nnn: string) => String(Number(nnn));
  if (want.has('audio') && roots.audio) {
    for (const d of await list(path.join(roots.audio.root, channel))) {
      if (d.isDirectory() && /^\d{3}$/.test(d.name)) {
        out.push({
          domain: 'audio',
          episode: `${channel}-${d.name}`,
          src: path.join(roots.audio.root, channel, d.name),
          rel: path.join(channel, d.name),
        });
      }
    }
  }
  if (want.has('thumbnails') && roots.thumbnails) {
    for (const d of await list(path.join(roots.thumbnails.root, channel))) {
      const m = /^(\d{1,3})(?:_.*)?$/.exec(d.name);
      if (!m?.[1] || Number(m[1]) < 1) continue;
      const nnn = m[1].padStart(3, '0');
      if (m[1] !== nnn && m[1] !== num(nnn)) continue;
      out.push({
        domain: 'thumbnails',
        episode: `${channel}-${nnn}`,
        src: path.join(roots.thumbnails.root, channel, d.name),
        rel: d.name,
      });
    }
  }
  if (want.has('video_input') && roots.video_input) {
    for (const dir of await list(roots.video_input.root)) {
      if (!dir.isDirectory() || !dir.name.startsWith(channel)) continue;
      for (const e of await list(path.join(roots.video_input.root, dir.name))) {
        const m = new RegExp(`^(?:${channel}-(\\d{3})(?!\\d)|(\\d{3})[._-])`).exec(e.name);
        const nnn = m?.[1] ?? m?.[2];
        if (!nnn) continue;
        out.push({
          domain: 'video_input',
          episode: `${channel}-${nnn}`,
          src: path.join(roots.video_input.root, dir.name, e.name),
          rel: path.join(dir.name, e.name),
        });
      }
    }
  }
  if (want.has('video_runs') && roots.video_runs) {
    for (const [episode, runIds] of runEpisodes) {
      if (!episode.startsWith(`${channel}-`)) continue;
      for (const id of runIds)
        out.push({ domain: 'video_runs', episode, src: path.join(roots.video_runs.root, id), rel: id });
    }
  }
  if (want.has('capcut_drafts') && roots.capcut_drafts) {
    for (const d of await list(roots.capcut_drafts.root)) {
      const episode = protectedDraftName(d.name) ? null : episodeFromDraftName(d.name);
      if (episode?.startsWith(`${channel}-`))
        out.push({ domain: 'capcut_drafts', episode, src: path.join(roots.capcut_drafts.root, d.name), rel: d.name });
    }
  }
  if (want.has('exports') && roots.exports) {
    for (const v of await list(path.join(roots.exports.root, channel))) {
      if (!v.isDirectory() || !/^\d{3}$/.test(v.name)) continue;
      for (const f of await list(path.join(roots.exports.root, channel, v.name))) {
        if (!f.isFile() || !/\.mp4$/i.test(f.name)) continue;
        const src = path.join(roots.exports.root, channel, v.name, f.name);
        if ((await lstat(src)).mtimeMs >= exportsBefore) continue;
        out.push({ domain: 'exports', episode: `${channel}-${v.name}`, src, rel: path.join(channel, v.name, f.name) });
      }
    }
  }
  return out;
}

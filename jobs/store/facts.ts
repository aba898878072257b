// The facts a store plan relies on (its preconditions fingerprint): sources, destinations, free space.
// Hashes are only computed where they decide something: always for sources, and for a destination only when
// its size equals the source's (a different size is already "different").
import { lstat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { JsonObject } from '../../lib/plan/types.js';
import { cachedSha256 } from '../engine/hash-cache.js';

export interface SourceFacts extends JsonObject {
  size: number;
  mtimeMs: number;
  sha256: string;
}

export type DestFacts =
  | { exists: false }
  | { exists: true; type: 'file'; size: number; mtimeMs: number; sha256: string | null }
  | { exists: true; type: 'other' };

/** `hashesIn`: the state dir's hash cache (`hashCacheDir`), so a later process re-checking the plan reads once. */
export async function sourceFacts(src: string, signal?: AbortSignal, hashesIn?: string): Promise<SourceFacts> {
  const st = await lstat(src);
  const { sha256 } = await cachedSha256(src, { signal, keepIn: hashesIn });
  return { size: st.size, mtimeMs: st.mtimeMs, sha256 };
}

export async function destFacts(dest: string, compareSize: number, signal?: AbortSignal): Promise<DestFacts> {
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(dest);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { exists: false };
    throw err;
  }
  if (!st.isFile()) return { exists: true, type: 'other' };
  const sha256 = st.size === compareSize ? (await cachedSha256(dest, { signal })).sha256 : null;
  return { exists: true, type: 'file', size: st.size, mtimeMs: st.mtimeMs, sha256 };
}

/** Nearest existing ancestor of `p` (the directory whose file system a new file under `p` lands on). */
export async function existingAncestor(p: string): Promise<string> {
  let cur = path.resolve(p);
  for (;;) {
    try {
      await lstat(cur);
      return cur;
    } catch {
      const up = path.dirname(cur);
      if (up === cur) return cur;
      cur = up;
    }
  }
}

/** Bytes available to an unprivileged writer on the file system holding `dir` (or its nearest ancestor). */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(await existingAncestor(dir));
  return s.bavail * s.bsize;
}

/** Room kept for manifests and directory entries on top of the file bytes. */
export const SPACE_MARGIN_BYTES = 256 * 1024;

// SHA-256 of a file, remembered for this process while the file's identity and stat are unchanged. A plan and
// its immediate re-check in the same process (`--run`) then read a multi-GiB source once instead of twice.
// ctime changes on every write to the file, so a cached hash is never served for changed content.
import { stat } from 'node:fs/promises';
import { sha256File } from '../../lib/fs/hash.js';

const cache = new Map<string, { key: string; sha256: string; size: number }>();

function statKey(s: { dev: number; ino: number; size: number; mtimeMs: number; ctimeMs: number }): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
}

export async function cachedSha256(path: string, signal?: AbortSignal): Promise<{ sha256: string; size: number }> {
  const before = await stat(path);
  const key = statKey(before);
  const hit = cache.get(path);
  if (hit && hit.key === key) return { sha256: hit.sha256, size: hit.size };
  const result = await sha256File(path, { signal });
  const after = await stat(path);
  if (statKey(after) === key) cache.set(path, { key, ...result });
  return result;
}

/** Forget a path (after this process changed it). */
export function forgetHash(path: string): void {
  cache.delete(path);
}

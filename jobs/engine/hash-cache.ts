// SHA-256 of a file, remembered while the file's identity and stat are unchanged. A plan and its re-check at
// apply time then read a multi-GiB source once instead of twice, also when they run in different processes (the
// terminal's `--run` plans in one child and applies in another; the bot plans, then applies after the approval):
// source hashes are also kept in the state dir (local disk). ctime changes on every write to a file and cannot be
// set by a user, so a remembered hash is never served for changed content. Destination hashes stay in memory only:
// stat fields on an SMB client can be stale.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';
import { sha256File } from '../../lib/fs/hash.js';

interface Hashed {
  sha256: string;
  size: number;
}

const cache = new Map<string, Hashed & { key: string }>();

function statKey(s: { dev: number; ino: number; size: number; mtimeMs: number; ctimeMs: number }): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
}

/** Where source hashes are kept across processes: one small JSON file per path. */
export function hashCacheDir(stateDir: string): string {
  return path.join(stateDir, 'hash-cache');
}

function entryFile(dir: string, file: string): string {
  return path.join(dir, `${createHash('sha256').update(file).digest('hex').slice(0, 32)}.json`);
}

async function readKept(dir: string, file: string, key: string): Promise<Hashed | undefined> {
  try {
    const v = JSON.parse(await readFile(entryFile(dir, file), 'utf8')) as Partial<
      Hashed & { path: string; key: string }
    >;
    if (v.path === file && v.key === key && typeof v.sha256 === 'string' && typeof v.size === 'number') {
      return { sha256: v.sha256, size: v.size };
    }
  } catch {
    // absent or unreadable: hash the file
  }
  return undefined;
}

async function keep(dir: string, file: string, key: string, h: Hashed): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await writeJsonAtomic(entryFile(dir, file), { path: file, key, ...h });
  } catch {
    // a cache that cannot be written only costs a second read later
  }
}

/**
 * SHA-256 and size of `file`. With `keepIn` (a local directory, see `hashCacheDir`) the result is also looked up
 * in and kept there for other processes.
 */
export async function cachedSha256(
  file: string,
  opts: { signal?: AbortSignal | undefined; keepIn?: string | undefined } = {},
): Promise<Hashed> {
  const before = await stat(file);
  const key = statKey(before);
  const hit = cache.get(file);
  if (hit && hit.key === key) return { sha256: hit.sha256, size: hit.size };
  const kept = opts.keepIn ? await readKept(opts.keepIn, file, key) : undefined;
  if (kept) {
    cache.set(file, { key, ...kept });
    return kept;
  }
  const result = await sha256File(file, { signal: opts.signal });
  const after = await stat(file);
  if (statKey(after) === key) {
    cache.set(file, { key, ...result });
    if (opts.keepIn) await keep(opts.keepIn, file, key, result);
  }
  return result;
}

/** Forget a path in this process (after this process changed it; kept entries no longer match its stat). */
export function forgetHash(file: string): void {
  cache.delete(file);
}

// Temp files of interrupted writes (`.tmp__<name>__<pid>__<random>`, see atomic.tempPathFor): a cancelled or
// killed copy of a multi-GB video leaves one next to its destination. These helpers tell whose writer is gone
// and remove a destination's own leftovers before it is written again.
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pidAlive } from '../locks/pid.js';
import { errCode } from './errors.js';

/** A temp file whose pid is dead on this host counts as stale only once it has not been written for this long
 *  (a copy from another host, whose pid means nothing here, keeps touching its file). */
export const STALE_TEMP_MIN_AGE_MS = 2 * 60_000;
/** Untouched for this long, a temp file is stale whatever its pid says (pids are reused). */
export const STALE_TEMP_MAX_AGE_MS = 24 * 60 * 60_000;

const TEMP_NAME = /^\.tmp__(.+)__(\d+)(?:__[0-9A-Za-z]+)?$/s;

/** The destination name and writer pid a temp name carries, or null for any other name. */
export function parseTempName(name: string): { target: string; pid: number } | null {
  const m = TEMP_NAME.exec(name);
  return m?.[1] && m[2] ? { target: m[1], pid: Number(m[2]) } : null;
}

/** A temp file nobody is writing any more: its writer is gone (and it sits idle), or it is very old. */
export function isStaleTemp(name: string, mtimeMs: number, now = Date.now()): boolean {
  const parsed = parseTempName(name);
  if (!parsed) return false;
  const idle = now - mtimeMs;
  if (idle >= STALE_TEMP_MAX_AGE_MS) return true;
  return parsed.pid !== process.pid && idle >= STALE_TEMP_MIN_AGE_MS && !pidAlive(parsed.pid);
}

/**
 * Removes stale temp files left next to `dest` by earlier writes of the same destination (same name, writer
 * gone). Never touches anything but regular files with a temp name for `dest`; returns the removed paths.
 */
export async function removeStaleTempsFor(dest: string, now = Date.now()): Promise<string[]> {
  const abs = resolve(dest);
  const dir = dirname(abs);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of names) {
    if (parseTempName(name)?.target !== basename(abs)) continue;
    const p = join(dir, name);
    let st: Stats;
    try {
      st = await lstat(p);
    } catch {
      continue; // gone meanwhile
    }
    if (!st.isFile() || !isStaleTemp(name, st.mtimeMs, now)) continue;
    try {
      await unlink(p);
      removed.push(p);
    } catch (err) {
      if (errCode(err) !== 'ENOENT') throw err;
    }
  }
  return removed;
}

export interface TempFile {
  /** Relative to the scanned root (POSIX separators on POSIX hosts). */
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * Every regular file with a temp name under `root` (links are not followed; unreadable folders are listed in
 * `errors` and skipped). Run it on the share only inside a guarded child: a hung share blocks every call.
 */
export async function findTempFiles(root: string): Promise<{ temps: TempFile[]; errors: string[] }> {
  const abs = resolve(root);
  const temps: TempFile[] = [];
  const errors: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (dir === abs && errCode(err) === 'ENOENT') return;
      errors.push(`${relative(abs, dir) || '.'}: ${errCode(err) ?? String(err)}`);
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await visit(p);
      else if (e.isFile() && parseTempName(e.name)) {
        try {
          const st = await lstat(p);
          temps.push({ path: relative(abs, p), size: st.size, mtimeMs: st.mtimeMs });
        } catch {
          // removed meanwhile (its writer finished)
        }
      }
    }
  };
  await visit(abs);
  return { temps, errors };
}

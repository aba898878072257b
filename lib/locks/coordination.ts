// Coordination locks written by the factory's agents (`<queue>/coordination/locks/lock__*.json`): while one
// is active, ytm must not write or delete anything under its scopes. Reading is best-effort per file, like
// the predecessor: a malformed lock file is reported through onInvalid and skipped.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { isInside } from '../fs/contain.js';
import { pathKey, realPathUnder } from '../fs/real-path.js';
import { globToRegExp, hasGlob, staticPrefix } from './glob.js';

export const CoordinationLockFileSchema = z.object({
  id: z.string().trim().min(1),
  created_at: z.string().optional().nullable(),
  created_by: z.string().optional().nullable(),
  mode: z.string().optional().nullable(),
  scopes: z.array(z.unknown()),
  note: z.string().optional().nullable(),
  expires_at: z.string().optional().nullable(),
});

export interface CoordinationLock {
  id: string;
  createdBy: string;
  mode: string;
  scopes: string[];
  note?: string;
  /** Undefined = never expires. */
  expiresAt?: Date;
  file: string;
}

export const coordinationLocksDir = (queueDir: string) => join(queueDir, 'coordination', 'locks');

/** ISO-8601 with or without offset; a naive timestamp is UTC. Undefined when unparseable. */
export function parseLockTime(value: string): Date | undefined {
  const v = value.trim().replace(/Z$/i, '+00:00');
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([+-]\d{2}:?\d{2})?$/.exec(v);
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}T${m[2]}${m[3] ?? '+00:00'}`);
  return Number.isFinite(t) ? new Date(t) : undefined;
}

export function isActive(lock: CoordinationLock, now: Date = new Date()): boolean {
  return lock.expiresAt === undefined || lock.expiresAt.getTime() > now.getTime();
}

/** Every well-formed lock file (active or not), sorted by file name. */
export async function readCoordinationLocks(
  queueDir: string,
  opts: { onInvalid?: (file: string, error: unknown) => void } = {},
): Promise<CoordinationLock[]> {
  const dir = coordinationLocksDir(queueDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: CoordinationLock[] = [];
  for (const name of names.filter((n) => n.startsWith('lock__') && n.endsWith('.json')).sort()) {
    const file = join(dir, name);
    try {
      const raw = CoordinationLockFileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
      // An expiry we cannot parse counts as "no expiry": the lock stays active (fail closed).
      const expiresAt = raw.expires_at?.trim() ? parseLockTime(raw.expires_at) : undefined;
      out.push({
        id: raw.id,
        createdBy: (raw.created_by ?? '').trim(),
        mode: (raw.mode ?? '').trim(),
        scopes: raw.scopes
          .filter((s): s is string => typeof s === 'string' && s.trim() !== '')
          .map((s) => s.trim().replaceAll('\\', '/')),
        ...(raw.note ? { note: raw.note } : {}),
        ...(expiresAt ? { expiresAt } : {}),
        file,
      });
    } catch (err) {
      opts.onInvalid?.(file, err);
    }
  }
  return out;
}

/** Active locks, optionally leaving out the caller's own (by created_by). */
export async function readActiveLocks(
  queueDir: string,
  opts: { now?: Date; ignoreCreatedBy?: string; onInvalid?: (file: string, error: unknown) => void } = {},
): Promise<CoordinationLock[]> {
  const all = await readCoordinationLocks(queueDir, { onInvalid: opts.onInvalid });
  return all.filter(
    (l) => isActive(l, opts.now) && !(opts.ignoreCreatedBy && l.createdBy && l.createdBy === opts.ignoreCreatedBy),
  );
}

const norm = (p: string) =>
  p
    .trim()
    .replaceAll('\\', '/')
    .replace(/^\/+|\/+$/g, '');

function isSameOrParent(parent: string, child: string): boolean {
  if (parent === child) return true;
  if (!parent) return false;
  return child.startsWith(`${parent.replace(/\/+$/, '')}/`);
}

/** Could writing or deleting `path` touch `scope`? Both repo-relative POSIX. */
export function scopeIntersects(path: string, scope: string): boolean {
  const rp = norm(path);
  const sc = norm(scope);
  if (!rp || !sc) return false;
  // 1. plain scope: the same path, or one contains the other
  if (!hasGlob(sc)) return isSameOrParent(sc, rp) || isSameOrParent(rp, sc);
  // 2. the path matches the glob
  if (globToRegExp(sc).test(rp)) return true;
  // 3. the path is a parent of (or equal to) the glob's static prefix: deleting it would delete matches
  const prefix = staticPrefix(sc).replace(/\/+$/, '');
  return prefix !== '' && isSameOrParent(rp, prefix);
}

export function intersects(path: string, scopes: readonly string[]): boolean {
  return scopes.some((s) => scopeIntersects(path, s));
}

/**
 * The active-lock list filtered to those that block `repoRelPath`. Pass locks from `readActiveLocks`
 * (or any list: expired ones are dropped here too).
 */
export function blockingLocks(
  repoRelPath: string,
  locks: readonly CoordinationLock[],
  opts: { ignoreCreatedBy?: string; now?: Date } = {},
): CoordinationLock[] {
  return locks.filter(
    (l) =>
      isActive(l, opts.now) &&
      !(opts.ignoreCreatedBy && l.createdBy === opts.ignoreCreatedBy) &&
      intersects(repoRelPath, l.scopes),
  );
}

/**
 * For a file on disk: check it at its real location (folders resolved) and, when it is a symlink whose target
 * resolves inside the repo, at the target too (a lock on either blocks). Paths and scopes are compared
 * without case where the volume ignores case (`Video/Runs/…` is `video/runs/…` there).
 */
export async function blockingLocksForFile(
  repoRoot: string,
  absPath: string,
  locks: readonly CoordinationLock[],
  opts: { ignoreCreatedBy?: string; now?: Date } = {},
): Promise<CoordinationLock[]> {
  const candidates = new Set<string>();
  // The path as given too: a repo path like `..cache/x` is inside the repo and must be checked.
  const own = relative(repoRoot, absPath);
  if (own && isInside(repoRoot, absPath)) candidates.add(own.split(sep).join('/'));
  let caseInsensitive = false;
  for (const followLast of [false, true]) {
    try {
      const real = await realPathUnder(repoRoot, absPath, { followLast });
      caseInsensitive ||= real.caseInsensitive;
      if (real.rel) candidates.add(real.rel);
    } catch {
      // Broken link, loop or missing file: only the other locations can be checked.
    }
  }
  const keyed = locks.map((l) => ({ ...l, scopes: l.scopes.map((sc) => pathKey(sc, caseInsensitive)) }));
  const hit = new Set<number>();
  for (const c of candidates) {
    for (const l of blockingLocks(pathKey(c, caseInsensitive), keyed, opts)) hit.add(keyed.indexOf(l));
  }
  return locks.filter((_, i) => hit.has(i));
}

import type { Stats } from 'node:fs';
import { readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { lstatOrNull, statOrNull } from '../fs/exists.js';
import { namespaceProblem, sharedBase } from './base.js';
import { findMount, type MountEntry, readMountTable } from './mounts.js';
import { type ShareProbe, type ShareProbeInput, STUB_MARKER, STUB_REASON } from './state.js';

/** Test seam: the mount table source (defaults to the host's). */
export interface ProbeDeps {
  mountTable?: () => Promise<MountEntry[]>;
  now?: () => Date;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Is `dir` (an existing, symlink-free directory path) a mountpoint? Its device id differs from its parent's (or it
 * is `/`), or it is listed as a mount target (bind mounts keep the parent's device id).
 */
export async function mountInfo(
  dir: string,
  dirStat: Stats,
  table: () => Promise<MountEntry[]>,
): Promise<{ isMountpoint: boolean; fsType?: string }> {
  const parent = path.dirname(dir);
  let byDev = parent === dir;
  if (!byDev) {
    const parentStat = await stat(parent);
    byDev = parentStat.dev !== dirStat.dev || parentStat.ino === dirStat.ino;
  }
  const entry = findMount(await table(), dir);
  const isMountpoint = byDev || entry !== undefined;
  return entry ? { isMountpoint, fsType: entry.fsType } : { isMountpoint };
}

/**
 * Decides the share state by touching the share. It can block forever on a hung mount, so it must only run inside a
 * guarded child (`lib/guard`), never in the bot's process. Order: root missing / not a dir → 'unmounted'; stub marker
 * → 'stub'; not a mountpoint (when required) → 'unmounted'; shared base missing → 'degraded'; else 'up'.
 */
export async function probeShareInline(input: ShareProbeInput, deps: ProbeDeps = {}): Promise<ShareProbe> {
  const table = deps.mountTable ?? (() => readMountTable());
  const checkedAt = (deps.now?.() ?? new Date()).toISOString();
  const root = path.resolve(input.root);
  const nsProblem = namespaceProblem(input.namespace);
  if (nsProblem) {
    return { state: 'unconfigured', reason: nsProblem, root, base: null, isMountpoint: null, checkedAt };
  }
  const base = sharedBase(root, input.namespace);
  const result = (rest: Omit<ShareProbe, 'root' | 'base' | 'checkedAt'>): ShareProbe => ({
    ...rest,
    root,
    base,
    checkedAt,
  });

  const rootStat = await statOrNull(root);
  if (!rootStat) {
    return result({ state: 'unmounted', reason: `shared storage root missing: ${root}`, isMountpoint: false });
  }
  if (!rootStat.isDirectory()) {
    return result({
      state: 'unmounted',
      reason: `shared storage root is not a directory: ${root}`,
      isMountpoint: false,
    });
  }

  // A root given through a symlink is judged by the directory it points at.
  const realRoot = await realpath(root);
  const mount = await mountInfo(realRoot, rootStat, table);
  const fs = mount.fsType ? { fsType: mount.fsType } : {};

  if (await lstatOrNull(path.join(root, STUB_MARKER))) {
    const link = path.join(root, 'ytm_workspaces');
    const linkStat = await lstatOrNull(link);
    const stubVaultLinkTarget = linkStat?.isSymbolicLink() ? await readlink(link) : undefined;
    return result({
      state: 'stub',
      reason: STUB_REASON,
      isMountpoint: mount.isMountpoint,
      ...fs,
      ...(stubVaultLinkTarget !== undefined ? { stubVaultLinkTarget } : {}),
    });
  }

  if (input.mountRequired && !mount.isMountpoint) {
    return result({
      state: 'unmounted',
      reason: `shared storage not mounted (not a mountpoint: ${root})`,
      isMountpoint: false,
      ...fs,
    });
  }

  let baseStat: Stats | null;
  try {
    baseStat = await statOrNull(base);
  } catch (err) {
    return result({
      state: 'degraded',
      reason: `shared storage base check failed (treat as offline): ${errText(err)}`,
      isMountpoint: mount.isMountpoint,
      ...fs,
    });
  }
  if (!baseStat) {
    return result({
      state: 'degraded',
      reason: `shared storage mounted but base is missing: ${base}`,
      isMountpoint: mount.isMountpoint,
      ...fs,
    });
  }
  if (!baseStat.isDirectory()) {
    return result({
      state: 'degraded',
      reason: `shared storage mounted but base is not a directory: ${base}`,
      isMountpoint: mount.isMountpoint,
      ...fs,
    });
  }

  const vault = input.vaultRoot ? { vaultRootExists: (await statOrNull(input.vaultRoot))?.isDirectory() === true } : {};
  const how = mount.isMountpoint ? `mounted${mount.fsType ? ` (${mount.fsType})` : ''}` : 'not a mountpoint (allowed)';
  return result({
    state: 'up',
    reason: `shared storage up: ${how}, base present`,
    isMountpoint: mount.isMountpoint,
    ...fs,
    ...vault,
  });
}

// The sandbox's share faults, made on the real share directory so the bot's real, guarded probe sees them:
// 'stub' writes the README_MOUNTPOINT.txt marker (lib/share/probe.ts), 'unmounted' renames the root away to a
// sibling, 'hung' shadows the root with test/faults/stall-fs.py and stalls it (the real directory is never
// touched). Every change first undoes the current fault, so any two states follow each other.
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { lstatOrNull } from '../../../lib/fs/exists.js';
import { findMount, parseProcMounts } from '../../../lib/share/mounts.js';
import { STUB_MARKER } from '../../../lib/share/state.js';
import {
  FUSE_PYTHON,
  mountStallingFs,
  type StallingMount,
  stallFsUnavailableReason,
} from '../../faults/stall-mount.js';
import type { ShareFault } from './page-state.js';

/** Where 'unmounted' keeps the share root: next to it, so the rename never crosses a file system. */
export const awayPath = (root: string): string => `${root}.sandbox-away`;

/**
 * Where 'hung' mounts the stall FS: libfuse refuses a non-empty mountpoint, so it is mounted on this empty sibling
 * and bind-mounted over the root (the kernel shadows a non-empty directory without complaint).
 */
export const stagingPath = (root: string): string => `${root}.sandbox-hung`;

/** The marker's text: how the sandbox recognises its own marker (it never removes one it did not write). */
export const SANDBOX_MARKER_TEXT =
  'Written by the ytm sandbox fault panel: this share looks like a local mountpoint stub.\n' +
  'Flip the share back to "up" in the panel (or delete this file) to end the fault.\n';

/** The stall daemon ends the hang by itself after this long (and at once if the sandbox process dies). */
const HUNG_MAX_SECONDS = 24 * 3600;

/** Null when 'hung' can be simulated here, else why not. */
export async function hungUnavailableReason(): Promise<string | null> {
  const why = stallFsUnavailableReason();
  const needs = 'needs root and FUSE (fuse3, python3-fusepy)';
  if (why) return `${needs}: ${why}`;
  const r = await execa(FUSE_PYTHON, ['-c', 'import fusepy'], { reject: false, timeout: 10_000, stdin: 'ignore' });
  return r.exitCode === 0 ? null : `${needs}: python module fusepy is missing`;
}

async function isEmptyDir(dir: string): Promise<boolean> {
  return (await readdir(dir)).length === 0;
}

/** `umount -l dir` when the stall FS is what is mounted there (never anything else); true when it was. */
async function umountStallFs(dir: string): Promise<boolean> {
  const table = parseProcMounts(await readFile('/proc/mounts', 'utf8'));
  if (findMount(table, path.resolve(dir))?.device !== 'stallfs') return false;
  await execa('umount', ['-l', dir], { reject: false, timeout: 10_000 });
  return true;
}

/**
 * The stall FS left on `root` and its staging folder by a sandbox that died (the daemon's watchdog unmounts only
 * the staging folder; the bind over the root then answers ENOTCONN): lazily unmounted, the empty staging removed.
 */
async function dropStaleStallMounts(root: string): Promise<boolean> {
  const dropped = [await umountStallFs(root), await umountStallFs(stagingPath(root))].includes(true);
  await rmdir(stagingPath(root)).catch(() => {});
  return dropped;
}

/**
 * Puts a root renamed away by 'unmounted' back. Never overwrites data: an empty leftover on either side is
 * removed, two non-empty directories are refused (a person has to decide).
 */
async function restoreAway(root: string): Promise<boolean> {
  const away = awayPath(root);
  if (!(await lstatOrNull(away))) return false;
  if (await lstatOrNull(root)) {
    if (await isEmptyDir(away)) {
      await rmdir(away);
      return false;
    }
    if (!(await isEmptyDir(root))) {
      throw new Error(`both ${root} and ${away} hold files: merge them by hand, then remove ${away}`);
    }
    await rmdir(root);
  }
  await rename(away, root);
  return true;
}

async function renameAway(root: string): Promise<void> {
  const away = awayPath(root);
  const there = await lstatOrNull(away);
  if (there && !(there.isDirectory() && (await isEmptyDir(away)))) {
    throw new Error(`${away} already exists and is not an empty folder: move it aside by hand first`);
  }
  if (there) await rmdir(away);
  await rename(root, away);
}

async function markerIsOurs(marker: string): Promise<boolean | null> {
  if (!(await lstatOrNull(marker))) return null;
  return (await readFile(marker, 'utf8').catch(() => '')) === SANDBOX_MARKER_TEXT;
}

export class ShareFaultControl {
  private mount: StallingMount | null = null;
  private current: ShareFault = 'up';
  /** A marker the sandbox did not write: the share is a stub and 'up' cannot change that. */
  private foreignMarker = false;

  constructor(
    readonly root: string,
    private readonly namespace: string,
  ) {}

  get state(): ShareFault {
    return this.current;
  }

  get blockedBy(): string | null {
    return this.foreignMarker
      ? `${path.join(this.root, STUB_MARKER)} was not written by the sandbox: delete it by hand for the share to be up`
      : null;
  }

  /** After a sandbox that died mid-fault: its mount, its renamed root and its marker are undone. Says what. */
  async recover(): Promise<string[]> {
    const done: string[] = [];
    if (await dropStaleStallMounts(this.root)) done.push(`unmounted a stall mount left on ${this.root}`);
    if (await restoreAway(this.root)) done.push(`renamed ${awayPath(this.root)} back to ${this.root}`);
    const marker = path.join(this.root, STUB_MARKER);
    const ours = await markerIsOurs(marker);
    if (ours) {
      await rm(marker);
      done.push(`removed the sandbox's stub marker from ${this.root}`);
    }
    this.foreignMarker = ours === false;
    this.current = this.foreignMarker ? 'stub' : 'up';
    return done;
  }

  async set(fault: ShareFault): Promise<void> {
    await this.undo();
    if (this.foreignMarker && fault !== 'hung' && fault !== 'unmounted') {
      if (fault === 'up') throw new Error(this.blockedBy ?? 'the share is a stub');
      return;
    }
    try {
      if (fault === 'stub') await writeFile(path.join(this.root, STUB_MARKER), SANDBOX_MARKER_TEXT, { flag: 'wx' });
      else if (fault === 'unmounted') await renameAway(this.root);
      else if (fault === 'hung') await this.hang();
      this.current = fault;
    } catch (err) {
      await this.undo().catch(() => {});
      throw err;
    }
  }

  /** Back to 'up': unstall and unmount (the real directory reappears), rename back, remove our marker. */
  async undo(): Promise<void> {
    const mount = this.mount;
    this.mount = null;
    if (mount) {
      // Blocked callers finish first; then the bind over the root goes, then the daemon and its mount.
      try {
        await mount.unstall();
      } finally {
        await umountStallFs(this.root);
        await mount.close();
        await rmdir(mount.dir).catch(() => {});
      }
    }
    // Only a root this panel renamed away is renamed back here; open() handles one a dead sandbox left.
    if (this.current === 'unmounted') await restoreAway(this.root);
    const marker = path.join(this.root, STUB_MARKER);
    if (await markerIsOurs(marker)) await rm(marker);
    this.current = this.foreignMarker ? 'stub' : 'up';
  }

  private async hang(): Promise<void> {
    const why = await hungUnavailableReason();
    if (why) throw new Error(`the 'hung' share ${why}`);
    const staging = stagingPath(this.root);
    await mkdir(staging);
    const mount = await mountStallingFs(staging, {
      stalled: false,
      namespace: this.namespace,
      maxSeconds: HUNG_MAX_SECONDS,
    }).catch(async (err: unknown) => {
      await rmdir(staging).catch(() => {});
      throw err;
    });
    this.mount = mount;
    // Bound while it still answers (the bind looks the source up), stalled once it covers the root.
    await execa('mount', ['--bind', staging, this.root], { timeout: 10_000 });
    await mount.stall();
  }
}

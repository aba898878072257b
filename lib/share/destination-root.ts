// A destination root that an apply writes below (the share's `uploads/<ns>`, or a local outbox root), pinned to
// the file system it was on when the apply opened it. When a share drops, its mountpoint becomes a bare folder
// on the Mac's own disk: a `mkdir -p` there recreates the tree, a copy "verifies" on the wrong disk, the source
// is removed, and the file is hidden once the share remounts. So nothing at or above the root is ever created,
// and every write and every source removal first confirms that the root is still on the recorded device (and
// its mountpoint still mounted). This touches the destination and can block on a hung share: use it only in a
// job child with a time limit, never in the bot's process.
import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { codedError, errCode } from '../fs/errors.js';
import { statOrNull } from '../fs/exists.js';
import { findMount, type MountEntry, readMountTable } from './mounts.js';
import { mountInfo } from './probe.js';

/** The code of every "the destination is not where the apply started" error. */
export const DEST_GONE = 'EDESTGONE';

export interface DestinationRootOptions {
  /** A folder that must be a mountpoint at open and stay mounted (the share's root when a mount is required). */
  mountpoint?: string | null;
  /** Test seam: the mount table (default: the host's). */
  mountTable?: () => Promise<MountEntry[]>;
}

export interface DestinationRoot {
  root: string;
  /** `st_dev` of the root when it was opened. */
  dev: number;
  /** Throws `EDESTGONE` unless the root (and `file`, when given) is still on the recorded device and mounted. */
  assertStillThere(file?: string): Promise<void>;
  /** Creates the folders between the root and `dir` (never the root or above), after `assertStillThere`. */
  mkdirBelow(dir: string): Promise<void>;
}

function gone(message: string, p: string): NodeJS.ErrnoException {
  return codedError(DEST_GONE, message, p);
}

interface PinnedMount {
  dir: string;
  dev: number;
  entry: MountEntry | undefined;
}

async function pinMount(mountpoint: string, table: () => Promise<MountEntry[]>): Promise<PinnedMount> {
  const st = await statOrNull(mountpoint);
  if (!st?.isDirectory()) throw gone(`the share's mountpoint is missing: ${mountpoint}`, mountpoint);
  const dir = await realpath(mountpoint);
  const info = await mountInfo(dir, st, table);
  if (!info.isMountpoint) throw gone(`the share is not mounted (not a mountpoint: ${mountpoint})`, mountpoint);
  return { dir, dev: st.dev, entry: findMount(await table(), dir) };
}

async function checkMount(pinned: PinnedMount, table: () => Promise<MountEntry[]>): Promise<void> {
  const st = await statOrNull(pinned.dir);
  const entry = findMount(await table(), pinned.dir);
  const sameEntry =
    pinned.entry === undefined ||
    (entry !== undefined && entry.device === pinned.entry.device && entry.fsType === pinned.entry.fsType);
  if (!st || st.dev !== pinned.dev || !sameEntry) {
    throw gone(
      `the share is no longer mounted at ${pinned.dir} (unmounted or replaced since the apply started)`,
      pinned.dir,
    );
  }
}

export async function openDestinationRoot(root: string, opts: DestinationRootOptions = {}): Promise<DestinationRoot> {
  const abs = path.resolve(root);
  const table = opts.mountTable ?? (() => readMountTable());
  const mount = opts.mountpoint ? await pinMount(path.resolve(opts.mountpoint), table) : null;
  const st = await statOrNull(abs);
  if (!st?.isDirectory()) {
    throw gone(`the destination root ${abs} does not exist; it is never created here (a share may be unmounted)`, abs);
  }
  const dev = st.dev;

  const assertStillThere = async (file?: string): Promise<void> => {
    if (mount) await checkMount(mount, table);
    const now = await statOrNull(abs);
    if (!now?.isDirectory()) throw gone(`the destination root ${abs} is gone since the apply started`, abs);
    if (now.dev !== dev) {
      throw gone(`the destination root ${abs} is on another file system than when the apply started`, abs);
    }
    if (file !== undefined) {
      const f = await statOrNull(file);
      if (!f || f.dev !== dev) throw gone(`${file} is not on the destination's file system any more`, file);
    }
  };

  const mkdirBelow = async (dir: string): Promise<void> => {
    const rel = path.relative(abs, path.resolve(dir));
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw codedError('EINVAL', `${dir} is not inside the destination root ${abs}`, dir);
    }
    await assertStillThere();
    let cur = abs;
    for (const part of rel.split(path.sep).filter((p) => p !== '')) {
      cur = path.join(cur, part);
      try {
        await mkdir(cur);
      } catch (err) {
        if (errCode(err) !== 'EEXIST') throw err;
      }
      const made = await stat(cur);
      if (!made.isDirectory()) throw codedError('ENOTDIR', `${cur} exists and is not a folder`, cur);
      if (made.dev !== dev) throw gone(`${cur} is not on the destination's file system`, cur);
    }
  };

  return { root: abs, dev, assertStillThere, mkdirBelow };
}

// Atomic file writes: temp file in the destination directory, fsync, rename, fsync the directory.
// A reader sees either the old content or the new content under the final name, never a partial file.
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { errCode } from './errors.js';

// Directory fsync is refused on some platforms/file systems (e.g. EISDIR or EINVAL on some, EPERM or
// ENOTSUP on network mounts). The rename already happened; losing only the durability hint is acceptable.
const DIR_FSYNC_TOLERATED = new Set(['EISDIR', 'EINVAL', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP']);

/** Temp path next to `finalPath`: `.tmp__<basename>__<pid>__<random>` (recognised by links.backupLinkKind). */
export function tempPathFor(finalPath: string): string {
  const abs = resolve(finalPath);
  return join(dirname(abs), `.tmp__${basename(abs)}__${process.pid}__${randomBytes(4).toString('hex')}`);
}

/** fsync a directory so a rename inside it survives a crash. Tolerates platforms that refuse it. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    if (DIR_FSYNC_TOLERATED.has(errCode(err) ?? '')) return;
    throw err;
  } finally {
    await fh?.close().catch(() => {});
  }
}

/**
 * Point `link` at `target` in one step: a new symlink at a temp name in the same folder, renamed over whatever
 * `link` was (a reader sees the old link or the new one, never none), then the folder fsynced.
 */
export async function swapSymlink(link: string, target: string): Promise<void> {
  const tmp = tempPathFor(link);
  await symlink(target, tmp);
  try {
    await rename(tmp, link);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  await fsyncDir(dirname(resolve(link)));
}

/**
 * Write `data` to `path` atomically. With `opts.mode` the file gets exactly that mode (umask not applied).
 * `opts.durable: false` skips both fsyncs: still all-or-nothing for readers and after a killed process, but a
 * power loss may leave the previous content; for files rewritten often and made durable by a last durable write.
 * On failure the temp file is removed and the error rethrown; an existing file at `path` stays as it was
 * unless the rename already happened (then only the directory fsync failed and the new file is complete).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts?: { mode?: number; durable?: boolean },
): Promise<void> {
  const durable = opts?.durable ?? true;
  const finalPath = resolve(path);
  const dir = dirname(finalPath);
  const tmp = tempPathFor(finalPath);
  let fh: FileHandle | undefined;
  let created = false;
  let renamed = false;
  try {
    fh = await open(tmp, 'wx', opts?.mode ?? 0o666);
    created = true;
    if (opts?.mode !== undefined) await fh.chmod(opts.mode);
    await fh.writeFile(data);
    if (durable) await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, finalPath);
    renamed = true;
    if (durable) await fsyncDir(dir);
  } catch (err) {
    await fh?.close().catch(() => {});
    if (created && !renamed) await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

/** Atomically write `value` as pretty JSON (2-space indent) with a trailing newline. */
export async function writeJsonAtomic(
  path: string,
  value: unknown,
  opts?: { mode?: number; durable?: boolean },
): Promise<void> {
  const text = JSON.stringify(value, null, 2);
  if (text === undefined) throw new TypeError(`writeJsonAtomic: value for ${path} is not JSON-serialisable`);
  await writeFileAtomic(path, `${text}\n`, opts);
}

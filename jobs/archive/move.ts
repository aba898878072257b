// The two operations of the archive jobs. `moveEntry`: a rename when source and destination share a device
// (nothing is copied, nothing is freed); across devices a verified copy under a temp name that takes the final
// name only once every file re-read equal, then removal of the source, never before. `deleteEntry`: removes a
// file, a link (never what it points at) or a folder tree whose links are removed as links.
import { lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, tempPathFor } from '../../lib/fs/atomic.js';
import { copyFileVerified } from '../../lib/fs/copy-verified.js';
import { codedError, errCode } from '../../lib/fs/errors.js';
import { entryExists } from '../../lib/fs/exists.js';
import { assertNotSameFile } from '../../lib/fs/same-file.js';

function exists(dest: string): NodeJS.ErrnoException {
  return codedError('EEXIST', `the destination already exists: ${dest}; nothing was moved`, dest);
}

/** Copies a tree: files verified by SHA-256 (lib/fs/copy-verified), links recreated with the same target. */
async function copyTree(src: string, dest: string, signal?: AbortSignal): Promise<void> {
  const st = await lstat(src);
  if (st.isSymbolicLink()) {
    await symlink(await readlink(src), dest);
  } else if (st.isDirectory()) {
    await mkdir(dest);
    for (const name of await readdir(src)) await copyTree(path.join(src, name), path.join(dest, name), signal);
  } else if (st.isFile()) {
    await copyFileVerified(src, dest, signal ? { signal } : {});
  } else {
    throw codedError('ENOTSUP', `not a file, folder or link: ${src}`, src);
  }
}

/** Moves `src` to `dest` (which must not exist); resolves with how: a rename, or a verified copy. */
export async function moveEntry(src: string, dest: string, signal?: AbortSignal): Promise<'renamed' | 'copied'> {
  if (await entryExists(dest)) throw exists(dest);
  await mkdir(path.dirname(dest), { recursive: true });
  try {
    // One syscall for the whole folder; its folders are fsync'ed once, when the report closes (actions.ts).
    await rename(src, dest);
    return 'renamed';
  } catch (err) {
    if (errCode(err) !== 'EXDEV') throw err;
  }
  const tmp = tempPathFor(dest);
  try {
    await copyTree(src, tmp, signal);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
  if (await entryExists(dest)) {
    await rm(tmp, { recursive: true, force: true });
    throw exists(dest);
  }
  await rename(tmp, dest);
  await fsyncDir(path.dirname(dest));
  // Only once the verified copy holds the final name, and only if it is not the source reached another way.
  await assertNotSameFile(src, dest);
  await rm(src, { recursive: true });
  return 'copied';
}

/** Removes `src` without following links (fs.rm works on lstat: a link is unlinked, never its target). */
export async function deleteEntry(src: string): Promise<void> {
  await rm(src, { recursive: true });
}

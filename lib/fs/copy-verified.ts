// Copy a file so that the destination is known-good before anyone relies on it: one hashing pass while
// writing a temp file next to the destination, fsync, re-read the temp file from disk (fresh handle) and
// compare size + SHA-256 with what was read from the source, and only then give it the destination's name
// (rename for overwrite, no-clobber link otherwise) and fsync the directory. A file that was at the
// destination before is never removed: until the verified copy takes its name, it stays as it was.
import { createHash } from 'node:crypto';
import { type FileHandle, link, open, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fsyncDir, tempPathFor } from './atomic.js';
import { codedError, errCode } from './errors.js';
import { entryExists } from './exists.js';
import { HASH_CHUNK_BYTES, sha256File } from './hash.js';
import { removeStaleTempsFor } from './stale-temp.js';

export interface CopyVerifiedOptions {
  /** Called after each chunk with the total number of bytes copied so far. */
  onProgress?: (bytes: number) => void;
  /** Checked between chunks and before placement; an abort removes the temp file. Once the verified copy has
   *  taken the destination's name it stays (an abort then has nothing left to undo). */
  signal?: AbortSignal;
  /** Replace an existing `destPath`. Without it an existing destination fails with code 'EEXIST'. */
  overwrite?: boolean;
  /**
   * What the source must hash to (e.g. what a plan was approved for). A source that reads otherwise fails with
   * 'EVERIFY' before the copy takes the destination's name, so an approved `overwrite` never puts an unplanned
   * file in place of the old one.
   */
  expect?: { sha256: string; size: number };
}

export interface VerifyDetails {
  path: string;
  expected: { sha256: string; size: number };
  actual: { sha256: string; size: number } | null;
}

/** The copy did not verify (the written copy differs from what was read, or the source changed meanwhile). */
export class VerifyError extends Error {
  readonly code = 'EVERIFY';
  constructor(
    message: string,
    readonly details: VerifyDetails,
  ) {
    super(message);
    this.name = 'VerifyError';
  }
}

// link(2) gives an atomic "create only if absent"; file systems without hard links (some SMB/FAT mounts)
// report one of these and we fall back to check-then-rename.
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EINVAL', 'EMLINK']);

function existsError(dest: string): NodeJS.ErrnoException {
  return codedError('EEXIST', `destination already exists (pass overwrite to replace it): ${dest}`, dest);
}

async function writeAll(fh: FileHandle, chunk: Buffer): Promise<void> {
  let off = 0;
  while (off < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
    off += bytesWritten;
  }
}

/** Moves a finished temp file to `dest` without ever replacing a file that appeared there meanwhile. */
export async function placeNoClobber(tmp: string, dest: string): Promise<void> {
  try {
    await link(tmp, dest);
  } catch (err) {
    const code = errCode(err);
    if (code === 'EEXIST') throw existsError(dest);
    if (!LINK_UNSUPPORTED.has(code ?? '')) throw err;
    if (await entryExists(dest)) throw existsError(dest);
    await rename(tmp, dest);
    return;
  }
  await unlink(tmp);
}

/**
 * Copy `src` to `destPath`, verified before it is placed. Resolves with the verified `{ sha256, size }`.
 * On any failure before placement the temp file is removed, the destination is left exactly as it was (an
 * older file there included, with or without `overwrite`), and the original error (with its `code`, e.g.
 * 'ENOSPC', 'EIO', 'EEXIST', 'EVERIFY') is rethrown. After placement nothing is ever removed: a placed file
 * that is not the verified temp file (someone swapped it meanwhile) fails with 'EVERIFY' and is left for a
 * person to look at. Stale temp files of earlier, interrupted copies to the same destination are removed
 * first. The source is only ever opened read-only.
 */
export async function copyFileVerified(
  src: string,
  destPath: string,
  opts: CopyVerifiedOptions = {},
): Promise<{ sha256: string; size: number }> {
  const { signal, onProgress, overwrite = false, expect } = opts;
  signal?.throwIfAborted();
  const dest = resolve(destPath);
  if (!overwrite && (await entryExists(dest))) throw existsError(dest); // fail fast, before copying gigabytes
  await removeStaleTempsFor(dest).catch(() => []); // best effort: a leftover must not block a good copy

  const tmp = tempPathFor(dest);
  let srcFh: FileHandle | undefined;
  let out: FileHandle | undefined;
  let tmpCreated = false;
  let pendingRead: Promise<unknown> | undefined;
  try {
    srcFh = await open(src, 'r');
    const before = await srcFh.stat();
    if (before.isDirectory()) throw codedError('EISDIR', `source is a directory: ${src}`, src);
    out = await open(tmp, 'wx', 0o666);
    tmpCreated = true;

    // Two buffers: the next read runs while the current chunk is hashed and written.
    const hash = createHash('sha256');
    const bufs = [Buffer.allocUnsafe(HASH_CHUNK_BYTES), Buffer.allocUnsafe(HASH_CHUNK_BYTES)] as const;
    let which = 0;
    let size = 0;
    const fh = srcFh;
    let next = fh.read(bufs[0], 0, HASH_CHUNK_BYTES, null);
    pendingRead = next;
    for (;;) {
      const { bytesRead, buffer } = await next;
      if (bytesRead === 0) break;
      signal?.throwIfAborted();
      which ^= 1;
      next = fh.read(bufs[which as 0 | 1], 0, HASH_CHUNK_BYTES, null);
      pendingRead = next;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      await writeAll(out, chunk);
      size += bytesRead;
      onProgress?.(size);
    }
    pendingRead = undefined;
    const expected = { sha256: hash.digest('hex'), size };
    await out.sync();
    // Closed before the re-read and the rename: SMB refuses to rename an open file (EBUSY).
    await out.close();
    out = undefined;

    const after = await srcFh.stat();
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || size !== after.size) {
      throw new VerifyError(`source changed while it was being copied: ${src}`, { path: dest, expected, actual: null });
    }
    await srcFh.close();
    srcFh = undefined;
    if (expect && (expect.size !== expected.size || expect.sha256 !== expected.sha256)) {
      throw new VerifyError(
        `the source changed since it was planned (now ${expected.size} bytes sha256 ${expected.sha256.slice(0, 12)}, ` +
          `planned ${expect.size} bytes sha256 ${expect.sha256.slice(0, 12)}): ${src}; the destination was left as it was`,
        { path: dest, expected: expect, actual: expected },
      );
    }

    // Verify the temp file from disk on a fresh handle, while the destination's name still holds what it held.
    const actual = await sha256File(tmp, { signal });
    if (actual.size !== expected.size || actual.sha256 !== expected.sha256) {
      throw new VerifyError(
        `verification failed for ${dest}: expected ${expected.size} bytes sha256 ${expected.sha256}, ` +
          `read back ${actual.size} bytes sha256 ${actual.sha256}; the destination was left as it was`,
        { path: dest, expected, actual },
      );
    }
    signal?.throwIfAborted();
    const verified = await stat(tmp);
    if (overwrite) await rename(tmp, dest);
    else await placeNoClobber(tmp, dest);
    tmpCreated = false;
    await fsyncDir(dirname(dest));
    await assertPlaced(dest, verified, expected);
    return actual;
  } catch (err) {
    pendingRead?.catch(() => {}); // an in-flight read may reject once its handle is closed
    await out?.close().catch(() => {});
    await srcFh?.close().catch(() => {});
    if (tmpCreated) await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

/**
 * Cheap check that the name now holds the file that was verified: the same device and inode (kept across a
 * rename on local file systems), or at least the same size (FUSE/SMB clients may number inodes afresh).
 * Never removes anything: a mismatch is reported, not undone.
 */
async function assertPlaced(
  dest: string,
  verified: { dev: number; ino: number; size: number },
  expected: { sha256: string; size: number },
): Promise<void> {
  const now = await stat(dest);
  if ((now.dev === verified.dev && now.ino === verified.ino) || now.size === verified.size) return;
  throw new VerifyError(
    `${dest} changed right after the verified copy was placed (now ${now.size} bytes); it was left as it is`,
    { path: dest, expected, actual: null },
  );
}

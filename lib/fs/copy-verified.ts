// Copy a file so that the destination is known-good before anyone relies on it: one hashing pass while
// writing a temp file next to the destination, fsync, rename (or no-clobber link), fsync the directory,
// then re-read the destination from disk and compare size + SHA-256 with what was read from the source.
import { createHash } from 'node:crypto';
import { type FileHandle, link, open, rename, rm, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fsyncDir, tempPathFor } from './atomic.js';
import { codedError, errCode } from './errors.js';
import { entryExists } from './exists.js';
import { HASH_CHUNK_BYTES, sha256File } from './hash.js';

export interface CopyVerifiedOptions {
  /** Called after each chunk with the total number of bytes copied so far. */
  onProgress?: (bytes: number) => void;
  /** Checked between chunks; an abort removes the temp file (or the unverified destination). */
  signal?: AbortSignal;
  /** Replace an existing `destPath`. Without it an existing destination fails with code 'EEXIST'. */
  overwrite?: boolean;
}

export interface VerifyDetails {
  path: string;
  expected: { sha256: string; size: number };
  actual: { sha256: string; size: number } | null;
}

/** The copy did not verify (destination differs from what was read, or the source changed meanwhile). */
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
 * Copy `src` to `destPath` and verify it by re-reading the destination. Resolves with the verified
 * `{ sha256, size }`. On any failure nothing is left under `destPath` (apart from a pre-existing file
 * when `overwrite` is not set, which is never touched), the temp file is removed and the original error
 * (with its `code`, e.g. 'ENOSPC', 'EIO', 'EEXIST') is rethrown. The source is only ever opened read-only.
 */
export async function copyFileVerified(
  src: string,
  destPath: string,
  opts: CopyVerifiedOptions = {},
): Promise<{ sha256: string; size: number }> {
  const { signal, onProgress, overwrite = false } = opts;
  signal?.throwIfAborted();
  const dest = resolve(destPath);
  if (!overwrite && (await entryExists(dest))) throw existsError(dest); // fail fast, before copying gigabytes

  const tmp = tempPathFor(dest);
  let srcFh: FileHandle | undefined;
  let out: FileHandle | undefined;
  let tmpCreated = false;
  let placed = false;
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
    await out.close();
    out = undefined;

    const after = await srcFh.stat();
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || size !== after.size) {
      throw new VerifyError(`source changed while it was being copied: ${src}`, { path: dest, expected, actual: null });
    }
    await srcFh.close();
    srcFh = undefined;

    if (overwrite) await rename(tmp, dest);
    else await placeNoClobber(tmp, dest);
    placed = true;
    await fsyncDir(dirname(dest));

    signal?.throwIfAborted();
    const actual = await sha256File(dest, { signal });
    if (actual.size !== expected.size || actual.sha256 !== expected.sha256) {
      throw new VerifyError(
        `verification failed for ${dest}: expected ${expected.size} bytes sha256 ${expected.sha256}, ` +
          `read back ${actual.size} bytes sha256 ${actual.sha256}`,
        { path: dest, expected, actual },
      );
    }
    return actual;
  } catch (err) {
    pendingRead?.catch(() => {}); // an in-flight read may reject once its handle is closed
    await out?.close().catch(() => {});
    await srcFh?.close().catch(() => {});
    if (tmpCreated) await rm(tmp, { force: true }).catch(() => {});
    if (placed) await rm(dest, { force: true }).catch(() => {});
    throw err;
  }
}

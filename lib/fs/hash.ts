// SHA-256 helpers. Files are streamed in 1 MiB chunks so memory stays flat for multi-GiB videos.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export const HASH_CHUNK_BYTES = 1024 * 1024;

/** Hex SHA-256 of an in-memory string (UTF-8) or byte array. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Stream a file through SHA-256, reusing one 1 MiB buffer (a read stream allocates a fresh chunk per read,
 * which added ~40 MiB of garbage on a 1 GiB file). Aborting `opts.signal` rejects with an AbortError.
 */
export async function sha256File(
  path: string,
  opts?: { signal?: AbortSignal },
): Promise<{ sha256: string; size: number }> {
  opts?.signal?.throwIfAborted();
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
  let size = 0;
  const fh = await open(path, 'r');
  try {
    for (;;) {
      opts?.signal?.throwIfAborted();
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return { sha256: hash.digest('hex'), size };
}

// SHA-256 helpers. Files are streamed in 1 MiB chunks so memory stays flat for multi-GiB videos.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export const HASH_CHUNK_BYTES = 1024 * 1024;

/** Hex SHA-256 of an in-memory string (UTF-8) or byte array. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Stream a file through SHA-256. Aborting `opts.signal` rejects with an AbortError and closes the file. */
export async function sha256File(
  path: string,
  opts?: { signal?: AbortSignal },
): Promise<{ sha256: string; size: number }> {
  opts?.signal?.throwIfAborted();
  const hash = createHash('sha256');
  let size = 0;
  const stream = createReadStream(path, { highWaterMark: HASH_CHUNK_BYTES, signal: opts?.signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

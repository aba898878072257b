import { open } from 'node:fs/promises';
import { READ_TEXT_CAP_BYTES, type ReadTextResult } from '../ops.js';

async function readCapped(p: string, cap: number): Promise<ReadTextResult> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(p, 'r');
    // Read at most cap + 1 bytes so a file that grows while read is still caught.
    const buf = Buffer.allocUnsafe(Math.min(cap + 1, 1024 * 1024));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, cap + 1 - total), null);
      if (bytesRead === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
      total += bytesRead;
      if (total > cap) return { path: p, ok: false, error: `larger than the ${cap}-byte cap` };
    }
    return { path: p, ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { path: p, ok: false, error: e.code ? `${e.code}: ${e.message}` : String(err) };
  } finally {
    await fh?.close().catch(() => {});
  }
}

/** Reads each path as UTF-8 text, each capped at `cap` bytes (default 16 MiB); a bigger file is an error entry. */
export async function readTextOp(paths: readonly string[], cap = READ_TEXT_CAP_BYTES): Promise<ReadTextResult[]> {
  const out: ReadTextResult[] = [];
  for (const p of paths) out.push(await readCapped(p, cap));
  return out;
}

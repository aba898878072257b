// Read the last complete line of a file without reading the whole file (the audit log only grows).
import { type FileHandle, open } from 'node:fs/promises';

export interface Tail {
  /** The last newline-terminated line (without the newline), or undefined when there is none. */
  lastLine: string | undefined;
  /** Byte offset where `lastLine` starts (0 when there is none). */
  lastLineStart: number;
  /** Byte offset just after the last newline: bytes from here to `size` are a torn write from a crash. */
  cleanEnd: number;
  size: number;
}

export async function readTail(path: string): Promise<Tail> {
  const empty = (size: number): Tail => ({ lastLine: undefined, lastLineStart: 0, cleanEnd: 0, size });
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty(0);
    throw err;
  }
  try {
    const { size } = await fh.stat();
    const chunk = 64 * 1024;
    let end = size; // `acc` always holds the file's bytes [end, size)
    let acc = Buffer.alloc(0);
    while (end > 0) {
      const start = Math.max(0, end - chunk);
      const buf = Buffer.alloc(end - start);
      await fh.read(buf, 0, buf.length, start);
      acc = Buffer.concat([buf, acc]);
      end = start;
      const lastNl = acc.lastIndexOf(0x0a);
      if (lastNl < 0) continue;
      // (a negative offset would make lastIndexOf search from the end, hence the guard)
      const before = lastNl > 0 ? acc.lastIndexOf(0x0a, lastNl - 1) : -1;
      if (before < 0 && end > 0) continue; // the line may start further back
      return {
        lastLine: acc.subarray(before + 1, lastNl).toString('utf8'),
        lastLineStart: end + before + 1,
        cleanEnd: end + lastNl + 1,
        size,
      };
    }
    return empty(size);
  } finally {
    await fh.close();
  }
}

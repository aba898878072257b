// Read the last complete line of a file without reading the whole file (the audit log only grows).
import { type FileHandle, open } from 'node:fs/promises';

export interface Tail {
  /** The last newline-terminated line (without the newline), or undefined when there is none. */
  lastLine: string | undefined;
  /** False when the file has bytes after its last newline: a torn write from a crash. */
  endsClean: boolean;
  size: number;
}

export async function readTail(path: string): Promise<Tail> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lastLine: undefined, endsClean: true, size: 0 };
    throw err;
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) return { lastLine: undefined, endsClean: true, size };
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
        endsClean: lastNl === acc.length - 1,
        size,
      };
    }
    return { lastLine: undefined, endsClean: false, size };
  } finally {
    await fh.close();
  }
}

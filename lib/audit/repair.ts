// A crash in the middle of an append leaves a torn last line. It is moved aside (kept byte for byte in a file
// next to the log) so the chain can go on from the last good line; the caller records the repair in the log.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from '../fs/atomic.js';
import { sha256Hex } from '../fs/hash.js';
import type { Tail } from './tail.js';

export interface TornTail {
  /** Where the torn bytes were kept. */
  savedTo: string;
  bytes: number;
  sha256: string;
  /** The log's new length. */
  cutAt: number;
}

function parses(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/**
 * Offset where the torn tail starts, or undefined when the log ends cleanly: bytes after the last newline,
 * together with a last line that is not even JSON (a torn write an older version completed with a newline).
 * A last line that is JSON but not a valid entry is not a crash and is left for `verifyAudit` to report.
 */
export function tornStart(tail: Tail): number | undefined {
  const start = tail.lastLine !== undefined && !parses(tail.lastLine) ? tail.lastLineStart : tail.cleanEnd;
  return start < tail.size ? start : undefined;
}

/** Copies bytes [start, EOF) of `file` to `<file>.torn-<stamp>` (fsynced) before cutting them off the log. */
export async function setTornTailAside(file: string, tail: Tail, start: number, now = new Date()): Promise<TornTail> {
  const torn = Buffer.alloc(tail.size - start);
  const savedTo = `${file}.torn-${now.toISOString().replace(/[-:.]/g, '')}-${process.pid}`;
  const log = await open(file, 'r+');
  try {
    await log.read(torn, 0, torn.length, start);
    const aside = await open(savedTo, 'wx', 0o600);
    try {
      await aside.write(torn);
      await aside.sync();
    } finally {
      await aside.close();
    }
    await fsyncDir(path.dirname(file));
    await log.truncate(start);
    await log.sync();
  } finally {
    await log.close();
  }
  return { savedTo, bytes: torn.length, sha256: sha256Hex(torn), cutAt: start };
}

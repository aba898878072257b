// The bot's log file with size-based rotation: launchd only ever appends to StandardErrorPath and keeps its file
// open, so renaming it from outside (newsyslog) would leave the bot writing into the renamed file. The bot
// rotates its own file instead: at `maxBytes` it becomes `<file>.1` (older ones shift up to `<file>.<keep>`,
// the oldest is dropped) and a new file is opened.
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';

export const LOG_FILES_KEPT = 5;

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function shift(file: string, keep: number): void {
  rmSync(`${file}.${keep}`, { force: true });
  for (let i = keep - 1; i >= 1; i--) {
    try {
      renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    } catch {
      // that generation does not exist (yet)
    }
  }
  renameSync(file, `${file}.1`);
}

export function rotatingLogFile(file: string, maxBytes: number, keep = LOG_FILES_KEPT): pino.DestinationStream {
  mkdirSync(path.dirname(file), { recursive: true });
  const dest = pino.destination({ dest: file, sync: true, append: true });
  let size = sizeOf(file);
  return {
    write(line: string): void {
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxBytes) {
        try {
          shift(file, keep);
          dest.reopen();
          size = 0;
        } catch {
          // Rotation failed (permissions, a full disk): keep writing to the file we have.
        }
      }
      dest.write(line);
      size += bytes;
    },
  };
}

// A stand-in for YTM_RSYNC_BIN that records the arguments it was given, then runs the real rsync with them,
// so a test sees exactly what a job passed to rsync and that rsync accepted it.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface FakeRsync {
  bin: string;
  /** One argument list per call, in call order. */
  calls(): string[][];
}

const END = '--end-of-call--';

export function fakeRsync(dir: string): FakeRsync {
  const real = execFileSync('sh', ['-c', 'command -v rsync'], { encoding: 'utf8' }).trim();
  const bin = path.join(dir, 'rsync-recorder');
  const log = path.join(dir, 'rsync-calls.txt');
  writeFileSync(
    bin,
    [
      '#!/bin/sh',
      `for a in "$@"; do printf '%s\\n' "$a"; done >> '${log}'`,
      `echo '${END}' >> '${log}'`,
      `exec '${real}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(bin, 0o755);
  return {
    bin,
    calls: () => {
      if (!existsSync(log)) return [];
      const out: string[][] = [];
      let cur: string[] = [];
      for (const line of readFileSync(log, 'utf8').split('\n').slice(0, -1)) {
        if (line === END) {
          out.push(cur);
          cur = [];
        } else cur.push(line);
      }
      return out;
    },
  };
}

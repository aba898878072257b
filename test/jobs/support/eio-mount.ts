// A FUSE passthrough share with switchable faults (eio-fs.py): fsync EIO once, corrupted reads, slow writes.
// `withEioShare` mounts it over a fresh backing dir holding `uploads/<ns>` and always tears it down.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { NS } from './workspace.js';

const PY = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'eio-fs.py');

/** Why the FUSE share cannot run here, or null. */
export const eioUnavailable =
  process.platform !== 'linux' || process.getuid?.() !== 0 || !existsSync('/dev/fuse') || !existsSync(PY)
    ? 'needs Linux, root, /dev/fuse and /usr/bin/python3 with fusepy'
    : null;

export interface EioShare {
  /** The mountpoint (what the tests configure as the share). */
  share: string;
  /** The backing directory: the same files, read without going through the faults. */
  backing: string;
  /** While this file exists the next fsync fails with EIO. */
  flag: string;
  /** Reads of files whose path contains `match` (every file when empty) return a flipped first byte. */
  corruptReads(match?: string): void;
  /** Each write sleeps `ms` first. */
  slowWrites(ms: number): void;
  /** Switches the read and write faults off again. */
  heal(): void;
}

function mounted(dir: string): boolean {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[1] === dir);
}

export async function withEioShare<T>(fn: (s: EioShare) => Promise<T>): Promise<T> {
  const root = mkdtempSync(path.join(tmpdir(), 'ytm-eio-'));
  const backing = path.join(root, 'backing');
  const share = path.join(root, 'share');
  const flag = path.join(root, 'fail-next-fsync');
  mkdirSync(path.join(backing, 'uploads', NS), { recursive: true });
  mkdirSync(share);
  const daemon = spawn(PY, [SCRIPT, backing, share, flag, '120'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  daemon.stderr.on('data', (d) => {
    stderr += String(d);
  });
  try {
    for (let i = 0; i < 100 && !mounted(share); i++) await new Promise((r) => setTimeout(r, 50));
    if (!mounted(share)) throw new Error(`eio-fs did not mount: ${stderr}`);
    return await fn({
      share,
      backing,
      flag,
      corruptReads: (match = '') => writeFileSync(`${flag}.corrupt`, match),
      slowWrites: (ms) => writeFileSync(`${flag}.slow`, String(ms)),
      heal: () => {
        rmSync(`${flag}.corrupt`, { force: true });
        rmSync(`${flag}.slow`, { force: true });
      },
    });
  } finally {
    daemon.kill('SIGKILL');
    await execa('umount', ['-l', share], { reject: false });
    rmSync(root, { recursive: true, force: true });
  }
}

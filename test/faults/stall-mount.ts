/**
 * Mounts test/faults/stall-fs.py (a FUSE file system whose getattr sleeps while a flag file exists) to simulate a
 * hung SMB share. Linux, root, Debian packages `fuse3` + `python3-fusepy`. ALWAYS call `close()` in a `finally`: it
 * SIGKILLs the daemon (which releases every caller blocked in state D) and runs `umount -l`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const FUSE_PYTHON = '/usr/bin/python3';

export interface StallingMount {
  /** The mountpoint. */
  dir: string;
  /** From now on every stat under the mount blocks. */
  stall(): Promise<void>;
  /** Every stat blocks from the moment `target` exists (the flag becomes a symlink to it): a stall on cue. */
  stallWhenExists(target: string): Promise<void>;
  /** Blocked callers continue; new stats answer at once. */
  unstall(): Promise<void>;
  /** SIGKILL the daemon, `umount -l`, remove the flag. Never throws, never blocks on the mount. */
  close(): Promise<void>;
}

function stallFsScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // From source: next to this file. From dist/test/faults: back in the source tree.
  const candidates = [
    path.join(here, 'stall-fs.py'),
    path.resolve(here, '..', '..', '..', 'test', 'faults', 'stall-fs.py'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`stall-fs.py not found (looked at ${candidates.join(', ')})`);
  return found;
}

/** Decoded mount targets from /proc/mounts (reading it never touches the mounted file systems). */
export async function mountTargets(): Promise<string[]> {
  const text = await readFile('/proc/mounts', 'utf8');
  return text
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((t): t is string => t !== undefined)
    .map((t) => t.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(Number.parseInt(o, 8))));
}

/** Can this process mount the stalling FS? Returns null when yes, else why not (for `it.skipIf` messages). */
export function stallFsUnavailableReason(): string | null {
  if (process.platform !== 'linux') return 'FUSE stall test needs Linux';
  if (process.getuid?.() !== 0) return 'FUSE stall test needs root';
  if (!existsSync('/dev/fuse')) return '/dev/fuse is missing';
  if (!existsSync(FUSE_PYTHON)) return `${FUSE_PYTHON} is missing`;
  return null;
}

const open = new Set<StallingMount>();

/** Closes every stalling mount still open (for `afterEach`/`afterAll`, in case a test never reached its finally). */
export async function closeAllStallingMounts(): Promise<void> {
  await Promise.all([...open].map((m) => m.close()));
}

export async function mountStallingFs(
  dir: string,
  opts: {
    stalled: boolean;
    namespace?: string;
    mountTimeoutMs?: number;
    maxSeconds?: number;
    /** Serve this directory (read-only) instead of the tiny built-in tree. */
    backing?: string;
    /** With `backing`: the first access to this path (relative to the mount) stalls the whole mount. */
    stallOn?: string;
  },
): Promise<StallingMount> {
  const flagDir = await mkdtemp(path.join(os.tmpdir(), 'ytm-stallfs-flag-'));
  const flag = path.join(flagDir, 'stall');
  const absDir = path.resolve(dir);
  const args = [stallFsScript(), absDir, flag, opts.namespace ?? 'ns', String(opts.maxSeconds ?? 300)];
  if (opts.backing) args.push('--backing', path.resolve(opts.backing));
  if (opts.stallOn) args.push('--stall-on', `/${opts.stallOn.replace(/^\/+/, '')}`);
  const daemon: ResultPromise = execa(FUSE_PYTHON, args, {
    reject: false,
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
    forceKillAfterDelay: false,
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    open.delete(mount);
    try {
      daemon.kill('SIGKILL');
    } catch {
      // already gone
    }
    // The daemon is killed, so the kernel aborts pending requests; umount -l cannot block now.
    await execa('umount', ['-l', absDir], { reject: false, timeout: 10_000 });
    await daemon.catch(() => undefined);
    await rm(flagDir, { recursive: true, force: true });
  };
  const mount: StallingMount = {
    dir: absDir,
    stall: () => writeFile(flag, 'stall\n'),
    stallWhenExists: (target) => symlink(target, flag),
    unstall: () => rm(flag, { force: true }),
    close,
  };
  open.add(mount);

  try {
    const deadline = Date.now() + (opts.mountTimeoutMs ?? 10_000);
    let exited = false;
    void daemon.then(() => {
      exited = true;
    });
    while (!(await mountTargets()).includes(absDir)) {
      if (exited) {
        const r = await daemon;
        throw new Error(`stall-fs exited before mounting (code ${r.exitCode}): ${String(r.stderr).trim()}`);
      }
      if (Date.now() > deadline) throw new Error(`stall-fs did not mount ${absDir} in time`);
      await new Promise((r) => setTimeout(r, 50));
    }
    if (opts.stalled) await mount.stall();
    return mount;
  } catch (err) {
    await close();
    throw err;
  }
}

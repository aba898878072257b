/**
 * A real SMB share for tests: Samba `smbd` on 127.0.0.1 (a free port, guest access) serving a temp directory, and
 * `smbnetfs` (a FUSE client on libsmbclient) mounting it, so every file operation under `root` goes over SMB on TCP.
 * Recipe and observed semantics: /work/shared/reference/smb-share-notes.md (case-insensitive, link EPERM, symlink
 * ENOSYS, EBUSY when renaming/unlinking an open file, O_WRONLY|O_APPEND gives EIO on SMB2).
 *
 * Linux, root, /dev/fuse, Debian packages `samba` + `smbnetfs`. Each share has its own temp dir and port, so several
 * test files may run shares at once. ALWAYS `stop()` in a `finally` (or `stopAllSmbShares()` in `afterAll`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { readMountTable } from '../../lib/share/mounts.js';

const SMBD = '/usr/sbin/smbd';
const SMBNETFS = '/usr/bin/smbnetfs';

export interface SmbShareOptions {
  /** smbnetfs `smb_timeout` in ms (min 1000): how long a call waits on a silent server before EIO. Default 3000. */
  smbTimeoutMs?: number;
  /** smbnetfs `max_retry_count`. Default 0, so a frozen server gives EIO after a few timeouts, not minutes. */
  maxRetryCount?: number;
  /** Free space statvfs reports on the mount (smbnetfs reports 0 otherwise). Default 1 GiB. */
  freeSpaceBytes?: number;
  /**
   * 'smb2' (default): SMB2/3, case-insensitive, O_WRONLY|O_APPEND gives EIO.
   * 'nt1': SMB1 with unix extensions and `case sensitive = no`: append works, still case-insensitive.
   */
  dialect?: 'smb2' | 'nt1';
}

export interface SmbShare {
  /** The directory smbd serves (local disk): check bytes here, server-side. */
  serverDir: string;
  /** The SMB-backed directory, itself a mountpoint (a bind mount of smbnetfs's `<mnt>/127.0.0.1:<port>/share`). */
  root: string;
  /** The TCP port smbd listens on (127.0.0.1). */
  port: number;
  /** SIGSTOP the whole smbd process group (master and per-connection children): calls under `root` block, then EIO. */
  freeze(): void;
  /** SIGCONT the smbd process group: the next call works at once. */
  thaw(): void;
  /** SIGKILL the smbd process group and wait until it is gone: calls under `root` give EIO. */
  killServer(): Promise<void>;
  /** Start smbd again (killing it first if it runs) and wait until `root` answers; the mount recovers by itself. */
  restartServer(): Promise<void>;
  /** Full teardown, also when frozen: unmount bind + smbnetfs, kill smbd and smbnetfs, remove the temp dir. */
  stop(): Promise<void>;
}

/** Why SMB tests cannot run here, or null when they can (for `describe.skipIf`). */
export function smbUnavailable(): string | null {
  if (process.platform !== 'linux') return 'SMB tests need Linux';
  if (process.getuid?.() !== 0) return 'SMB tests need root (CI runs as root)';
  if (!existsSync('/dev/fuse')) return '/dev/fuse is missing';
  for (const bin of [SMBD, SMBNETFS]) {
    try {
      accessSync(bin, constants.X_OK);
    } catch {
      return `${bin} is missing (Debian packages samba and smbnetfs)`;
    }
  }
  return null;
}

const open = new Set<SmbShare>();

/** Stops every SMB share still running (for `afterAll`, in case a test never reached its finally). */
export async function stopAllSmbShares(): Promise<void> {
  await Promise.all([...open].map((s) => s.stop()));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, ok: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`SMB fixture: ${what} did not happen in ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Is something listening on 127.0.0.1:port? Reads /proc/net/tcp instead of connecting (no smbd child forked). */
async function listening(port: number): Promise<boolean> {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const text = await readFile('/proc/net/tcp', 'utf8');
  return text.split('\n').some((l) => {
    const f = l.trim().split(/\s+/);
    return f[1] === hex && f[3] === '0A';
  });
}

/** Mount targets of this host (reading /proc/mounts never touches the mounted file systems). */
async function mountTargets(): Promise<string[]> {
  return (await readMountTable('linux')).map((m) => m.target);
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // group already gone
  }
}

/** Runs `bin` detached (its own session, so pgid == pid), stdout/stderr appended to `log`. */
function spawnDaemon(bin: string, args: string[], log: string, env?: NodeJS.ProcessEnv): ChildProcess {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], env: env ?? process.env });
    child.on('error', () => undefined); // a missing binary shows up as an early exit below
    return child;
  } finally {
    closeSync(fd);
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function serverConf(dir: string, port: number, dialect: 'smb2' | 'nt1'): string {
  const s = path.join(dir, 'state');
  return `[global]
  server role = standalone server
  workgroup = WORKGROUP
  netbios name = SMBTEST
  interfaces = 127.0.0.1
  bind interfaces only = yes
  smb ports = ${port}
  disable netbios = yes
  server min protocol = ${dialect === 'nt1' ? 'NT1' : 'SMB2_02'}
  map to guest = Bad User
  guest account = root
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  rpc start on demand helpers = no
  lock directory = ${s}/lock
  state directory = ${s}
  cache directory = ${s}/cache
  private dir = ${s}/private
  pid directory = ${s}/run
  ncalrpc dir = ${s}/ncalrpc
  log file = ${dir}/log/smbd.log
  log level = 1
[share]
  path = ${dir}/share
  read only = no
  guest ok = yes
  force user = root
${dialect === 'nt1' ? '  case sensitive = no\n' : ''}`;
}

function clientConf(dialect: 'smb2' | 'nt1'): string {
  const proto =
    dialect === 'nt1'
      ? '  client min protocol = NT1\n  client max protocol = NT1\n'
      : '  client min protocol = SMB2_02\n';
  return `[global]\n  workgroup = WORKGROUP\n${proto}  disable netbios = yes\n`;
}

// Do NOT add `neg_cache "false"`: smbnetfs 0.6.3 deadlocks at start-up with it.
const SMBNETFS_CONF = `smb_query_browsers "false"
use_libsecret "false"
neg_cache_timeout "1"
stat_workaround_depth "0"
stat_workaround_enable_default_entries "false"
auth "guest" ""
`;

/** Starts smbd + smbnetfs and bind-mounts the share onto `root`. Resolves once `root` answers. */
export async function startSmbShare(opts: SmbShareOptions = {}): Promise<SmbShare> {
  const dialect = opts.dialect ?? 'smb2';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ytm-smb-'));
  const serverDir = path.join(dir, 'share');
  const mnt = path.join(dir, 'mnt');
  const root = path.join(dir, 'root');
  const home = path.join(dir, 'home');
  const conf = path.join(dir, 'smb.conf');
  const smbdLog = path.join(dir, 'log', 'smbd.stdout');
  for (const d of [serverDir, mnt, root, path.join(dir, 'log'), path.join(home, '.smb')]) {
    await mkdir(d, { recursive: true });
  }
  for (const d of ['lock', 'cache', 'private', 'run', 'ncalrpc'])
    await mkdir(path.join(dir, 'state', d), { recursive: true });
  await writeFile(path.join(home, '.smb', 'smb.conf'), clientConf(dialect), { mode: 0o600 });
  // mode 0600 is required: smbnetfs ignores the auth line of a config others can read.
  await writeFile(path.join(home, '.smb', 'smbnetfs.conf'), SMBNETFS_CONF, { mode: 0o600 });
  await writeFile(path.join(home, '.smb', 'smbnetfs.auth'), '', { mode: 0o600 });
  await writeFile(path.join(home, '.smb', 'smbnetfs.host'), '', { mode: 0o600 });

  let port = 0;
  let smbd: ChildProcess | undefined;
  let smbnetfs: ChildProcess | undefined;
  let stopped = false;

  const startSmbd = async (): Promise<void> => {
    const child = spawnDaemon(SMBD, ['--foreground', '--no-process-group', '--debug-stdout', '-s', conf], smbdLog);
    smbd = child;
    await waitFor(`smbd listening on 127.0.0.1:${port}`, async () => {
      if (exited(child)) throw new Error(`smbd exited early (code ${child.exitCode}), see ${smbdLog}`);
      return listening(port);
    });
  };

  const killServer = async (): Promise<void> => {
    const pid = smbd?.pid;
    if (pid === undefined) return;
    signalGroup(pid, 'SIGKILL'); // SIGKILL also ends stopped processes
    await waitFor('smbd group gone', async () => !groupAlive(pid), 10_000);
    smbd = undefined;
  };

  const rootAnswers = async (): Promise<boolean> => {
    try {
      await stat(path.join(root, '.'));
      return true;
    } catch {
      return false;
    }
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    open.delete(share);
    // Lazy unmounts never wait on the (possibly frozen) server.
    await execa('umount', ['-l', root], { reject: false, timeout: 10_000 });
    await killServer().catch(() => undefined);
    const fs = smbnetfs;
    if (fs?.pid !== undefined && !exited(fs)) {
      signalGroup(fs.pid, 'SIGTERM'); // unmounts cleanly; the server is gone so it cannot hang on it
      await waitFor('smbnetfs exit', async () => !groupAlive(fs.pid as number), 3_000).catch(() => {
        signalGroup(fs.pid as number, 'SIGKILL');
      });
    }
    if ((await mountTargets()).includes(mnt)) {
      await execa('umount', ['-l', mnt], { reject: false, timeout: 10_000 });
    }
    if (fs?.pid !== undefined) await waitFor('smbnetfs gone', async () => !groupAlive(fs.pid as number), 5_000);
    // Only remove the temp dir once nothing under it is mounted any more.
    const left = (await mountTargets()).filter((t) => t === dir || t.startsWith(`${dir}/`));
    if (left.length === 0) await rm(dir, { recursive: true, force: true });
  };

  const share: SmbShare = {
    serverDir,
    root,
    get port() {
      return port;
    },
    freeze: () => {
      if (smbd?.pid !== undefined) signalGroup(smbd.pid, 'SIGSTOP');
    },
    thaw: () => {
      if (smbd?.pid !== undefined) signalGroup(smbd.pid, 'SIGCONT');
    },
    killServer,
    restartServer: async () => {
      await killServer();
      await startSmbd();
      await waitFor('the mount answering after the restart', rootAnswers);
    },
    stop,
  };
  open.add(share);

  try {
    // The free port can be taken by someone else before smbd binds it: then smbd exits, and we try another.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      await writeFile(conf, serverConf(dir, port, dialect));
      try {
        await startSmbd();
        break;
      } catch (err) {
        await killServer();
        if (attempt >= 3) throw err;
      }
    }
    const fuseOpts = [
      `config=${path.join(home, '.smb', 'smbnetfs.conf')}`,
      // no kernel attribute/dentry caching: changes made in serverDir show up at once under root
      'attr_timeout=0',
      'entry_timeout=0',
      'negative_timeout=0',
      `smb_timeout=${opts.smbTimeoutMs ?? 3000}`,
      `max_retry_count=${opts.maxRetryCount ?? 0}`,
      // smbnetfs counts free_space_size in 4 KiB blocks
      `free_space_size=${Math.ceil((opts.freeSpaceBytes ?? 1024 ** 3) / 4096)}`,
    ];
    smbnetfs = spawnDaemon(SMBNETFS, [mnt, '-f', '-o', fuseOpts.join(',')], path.join(dir, 'log', 'smbnetfs.stdout'), {
      ...process.env,
      HOME: home, // libsmbclient reads $HOME/.smb/smb.conf
    });
    const fs = smbnetfs;
    await waitFor('smbnetfs mounted', async () => {
      if (exited(fs)) throw new Error(`smbnetfs exited early (code ${fs.exitCode}), see ${dir}/log`);
      return (await mountTargets()).includes(mnt);
    });
    // The port goes in the path: libsmbclient ignores `smb ports` on the client side.
    const smbPath = path.join(mnt, `127.0.0.1:${port}`, 'share');
    await waitFor('the share answering', async () => {
      try {
        await stat(path.join(smbPath, '.'));
        return true;
      } catch {
        return false;
      }
    });
    // smbPath is not a mountpoint itself; the bind mount makes root one (/proc/mounts lists it as fuse.smbnetfs).
    await execa('mount', ['--bind', smbPath, root]);
    return share;
  } catch (err) {
    await stop();
    throw err;
  }
}

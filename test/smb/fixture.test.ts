// The SMB fixture (test/faults/smb-share.ts) behaves like a real SMB share: every call under `root` goes through
// smbnetfs to smbd, so the SMB semantics other tests rely on must show up here, and teardown must leave nothing.
import { spawn } from 'node:child_process';
import {
  closeSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMountTable } from '../../lib/share/mounts.js';
import { type SmbShare, smbUnavailable, startSmbShare, stopAllSmbShares } from '../faults/smb-share.js';

afterAll(stopAllSmbShares);

function errCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code;
  }
}

/** `stat` of `p` in a child process (a blocked FUSE call must not tie up this process's thread pool). */
function statInChild(p: string): { pid: number; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn('stat', ['-c', '%s', p], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  return { pid: child.pid as number, done };
}

/** Where the kernel has process `pid` waiting, '' once it has exited. */
function wchan(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8');
  } catch {
    return '';
  }
}

/** Every process whose command line mentions `dir` (smbd and smbnetfs carry their config path). */
function processesMentioning(dir: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        return readFileSync(`/proc/${n}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.skipIf(smbUnavailable() !== null)('SMB share fixture (smbd + smbnetfs)', () => {
  let share: SmbShare;
  beforeAll(async () => {
    share = await startSmbShare();
  });

  it('root is a mountpoint backed by the server directory, with free space', async () => {
    const rootMount = (await readMountTable('linux')).find((m) => m.target === share.root);
    expect(rootMount?.fsType).toBe('fuse.smbnetfs');
    expect(statSync(share.root).dev).not.toBe(statSync(path.dirname(share.root)).dev);
    expect(statfsSync(share.root).bavail).toBeGreaterThan(0);

    writeFileSync(path.join(share.root, 'hello.txt'), 'over smb');
    expect(readFileSync(path.join(share.serverDir, 'hello.txt'), 'utf8')).toBe('over smb');
    writeFileSync(path.join(share.serverDir, 'from-server.txt'), 'server side');
    expect(readFileSync(path.join(share.root, 'from-server.txt'), 'utf8')).toBe('server side');
  });

  it('is case-insensitive and case-preserving', () => {
    writeFileSync(path.join(share.root, 'Abc.wav'), 'x');
    expect(statSync(path.join(share.root, 'abc.WAV')).size).toBe(1);
    expect(errCode(() => writeFileSync(path.join(share.root, 'ABC.wav'), 'y', { flag: 'wx' }))).toBe('EEXIST');
    expect(readdirSync(share.serverDir)).toContain('Abc.wav');
  });

  it('refuses hard links (EPERM) and renaming an open file (EBUSY)', () => {
    const a = path.join(share.root, 'open.bin');
    writeFileSync(a, 'data');
    expect(errCode(() => linkSync(a, path.join(share.root, 'link.bin')))).toBe('EPERM');
    const fd = openSync(a, 'r');
    try {
      expect(errCode(() => renameSync(a, path.join(share.root, 'moved.bin')))).toBe('EBUSY');
    } finally {
      closeSync(fd);
    }
    renameSync(a, path.join(share.root, 'moved.bin'));
    expect(readFileSync(path.join(share.serverDir, 'moved.bin'), 'utf8')).toBe('data');
  });

  it('frozen server: a stat blocks in FUSE, then fails with EIO; thawed it works again', async () => {
    share.freeze();
    try {
      const s = statInChild(path.join(share.root, 'hello.txt'));
      // Blocked in the kernel waiting for smbnetfs (fuse request_wait_answer), not failed at once.
      let seen = '';
      while (!/fuse|request_wait/.test(seen)) {
        seen = wchan(s.pid);
        if (seen === '') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen).toMatch(/fuse|request_wait/);
      const r = await s.done;
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('Input/output error');
    } finally {
      share.thaw();
    }
    expect(statSync(path.join(share.root, 'hello.txt')).size).toBe(8);
  });

  it('killed server gives EIO; after a restart the same mount works again', async () => {
    await share.killServer();
    expect((await statInChild(path.join(share.root, 'hello.txt')).done).stderr).toContain('Input/output error');
    await share.restartServer();
    expect(readFileSync(path.join(share.root, 'hello.txt'), 'utf8')).toBe('over smb');
  });

  // Last for this share: it stops it.
  it('stop() while frozen leaves no process and no mount behind', async () => {
    const dir = path.dirname(share.root);
    expect(processesMentioning(dir).length).toBeGreaterThan(0);
    share.freeze();
    await share.stop();
    expect(processesMentioning(dir)).toEqual([]);
    expect((await readMountTable('linux')).filter((m) => m.target.startsWith(dir))).toEqual([]);
  });

  it('nt1 dialect: append works and lookups stay case-insensitive', async () => {
    const nt1 = await startSmbShare({ dialect: 'nt1' });
    try {
      const p = path.join(nt1.root, 'Log.txt');
      writeFileSync(p, 'a');
      writeFileSync(p, 'b', { flag: 'a' });
      expect(readFileSync(path.join(nt1.serverDir, 'Log.txt'), 'utf8')).toBe('ab');
      expect(statSync(path.join(nt1.root, 'log.TXT')).size).toBe(2);
    } finally {
      await nt1.stop();
    }
  });
});

// copyFileVerified onto a real SMB share (smbd + smbnetfs): link(2) gives EPERM, so no-clobber placement falls back
// to check-then-rename; renaming an open file gives EBUSY, so the temp file must be closed before it is placed; and
// a read-back that does not verify (made to lie here through the hash module, SMB has no fault switch) keeps the
// older file at the destination on the server.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type SmbShare, smbUnavailable, startSmbShare } from '../faults/smb-share.js';
import { sha256Of } from '../jobs/support/workspace.js';

const lie = vi.hoisted(() => ({ on: false }));
vi.mock('../../lib/fs/hash.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../lib/fs/hash.js')>();
  return {
    ...real,
    sha256File: async (p: string, o?: { signal?: AbortSignal }) => {
      const r = await real.sha256File(p, o);
      return lie.on ? { ...r, sha256: '0'.repeat(64) } : r;
    },
  };
});
const { copyFileVerified, VerifyError } = await import('../../lib/fs/copy-verified.js');

describe.skipIf(smbUnavailable() !== null)('copyFileVerified on a real SMB share', () => {
  let share: SmbShare;
  let local: string;
  beforeAll(async () => {
    share = await startSmbShare();
    local = await mkdtemp(path.join(os.tmpdir(), 'ytm-smb-copy-'));
  });
  afterAll(async () => {
    await share?.stop();
    await rm(local, { recursive: true, force: true });
  });

  function source(name: string, bytes: number): string {
    const p = path.join(local, name);
    writeFileSync(p, randomBytes(bytes));
    return p;
  }

  it('places a new file without hard links (EPERM) and leaves no temp file', async () => {
    const src = source('a.bin', 3 * 1024 * 1024 + 1);
    mkdirSync(path.join(share.serverDir, 'new'));
    const r = await copyFileVerified(src, path.join(share.root, 'new', 'a.bin'));
    expect(r.sha256).toBe(sha256Of(src));
    expect(sha256Of(path.join(share.serverDir, 'new', 'a.bin'))).toBe(sha256Of(src));
    expect(readdirSync(path.join(share.serverDir, 'new'))).toEqual(['a.bin']);
  });

  it('overwrite replaces the file on the server (the temp file is closed before the rename)', async () => {
    const src = source('b.bin', 2 * 1024 * 1024);
    mkdirSync(path.join(share.serverDir, 'over'));
    writeFileSync(path.join(share.serverDir, 'over', 'b.bin'), 'old');
    await copyFileVerified(src, path.join(share.root, 'over', 'b.bin'), { overwrite: true });
    expect(sha256Of(path.join(share.serverDir, 'over', 'b.bin'))).toBe(sha256Of(src));
    expect(readdirSync(path.join(share.serverDir, 'over'))).toEqual(['b.bin']);
  });

  it('overwrite with a read-back that does not verify keeps the old file on the server', async () => {
    const src = source('c.bin', 1024 * 1024 + 3);
    mkdirSync(path.join(share.serverDir, 'keep'));
    writeFileSync(path.join(share.serverDir, 'keep', 'c.bin'), 'the old copy');
    lie.on = true;
    try {
      const err = await copyFileVerified(src, path.join(share.root, 'keep', 'c.bin'), { overwrite: true }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(VerifyError);
    } finally {
      lie.on = false;
    }
    expect(readFileSync(path.join(share.serverDir, 'keep', 'c.bin'), 'utf8')).toBe('the old copy');
    expect(readdirSync(path.join(share.serverDir, 'keep'))).toEqual(['c.bin']);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileVerified, VerifyError } from '../../../lib/fs/copy-verified.js';
import { canMount, withTmpfs } from '../../faults/tmpfs.js';
import { deadPid } from '../../helpers/pids.js';

const MiB = 1024 * 1024;
let dir: string;
let out: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ytm-copy-'));
  out = join(dir, 'out');
  await mkdir(out);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function makeSource(bytes: number): Promise<{ path: string; data: Buffer; sha256: string; mtimeMs: number }> {
  const data = randomBytes(bytes);
  const path = join(dir, 'src.bin');
  await writeFile(path, data);
  return { path, data, sha256: createHash('sha256').update(data).digest('hex'), mtimeMs: (await stat(path)).mtimeMs };
}

describe('copyFileVerified', () => {
  it('copies bytes exactly, returns the verified hash, reports progress, leaves no temp file', async () => {
    const src = await makeSource(3 * MiB + 7);
    const dest = join(out, 'copy.bin');
    const progress: number[] = [];
    const res = await copyFileVerified(src.path, dest, { onProgress: (b) => progress.push(b) });
    expect(res).toEqual({ sha256: src.sha256, size: src.data.length });
    expect((await readFile(dest)).equals(src.data)).toBe(true);
    expect(progress).toEqual([MiB, 2 * MiB, 3 * MiB, 3 * MiB + 7]);
    expect(await readdir(out)).toEqual(['copy.bin']);
    // source untouched
    expect((await readFile(src.path)).equals(src.data)).toBe(true);
    expect((await stat(src.path)).mtimeMs).toBe(src.mtimeMs);
  });

  it('copies an empty file', async () => {
    const src = await makeSource(0);
    const res = await copyFileVerified(src.path, join(out, 'e'));
    expect(res).toEqual({ sha256: src.sha256, size: 0 });
    expect((await stat(join(out, 'e'))).size).toBe(0);
  });

  it('refuses an existing destination without overwrite (EEXIST), leaving it unchanged', async () => {
    const src = await makeSource(1000);
    const dest = join(out, 'exists.bin');
    await writeFile(dest, 'precious');
    await expect(copyFileVerified(src.path, dest)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(dest, 'utf8')).toBe('precious');
    expect(await readdir(out)).toEqual(['exists.bin']);
  });

  it('treats a dangling symlink at the destination as existing', async () => {
    const src = await makeSource(10);
    const dest = join(out, 'dangling');
    await symlink(join(dir, 'nowhere'), dest);
    await expect(copyFileVerified(src.path, dest)).rejects.toMatchObject({ code: 'EEXIST' });
    expect((await lstat(dest)).isSymbolicLink()).toBe(true);
    await expect(stat(join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('replaces an existing destination with overwrite', async () => {
    const src = await makeSource(2 * MiB);
    const dest = join(out, 'exists.bin');
    await writeFile(dest, 'old');
    expect((await copyFileVerified(src.path, dest, { overwrite: true })).sha256).toBe(src.sha256);
    expect((await readFile(dest)).equals(src.data)).toBe(true);
    expect(await readdir(out)).toEqual(['exists.bin']);
  });

  it('overwrite with `expect`: a source that no longer hashes as planned never replaces the old destination', async () => {
    const src = await makeSource(2 * MiB);
    const dest = join(out, 'planned.bin');
    await writeFile(dest, 'old');
    const planned = { sha256: createHash('sha256').update('what was planned').digest('hex'), size: 2 * MiB };
    const err = await copyFileVerified(src.path, dest, { overwrite: true, expect: planned }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerifyError);
    expect((err as Error).message).toContain('changed since it was planned');
    expect(await readFile(dest, 'utf8')).toBe('old');
    expect(await readdir(out)).toEqual(['planned.bin']);
    expect(
      (await copyFileVerified(src.path, dest, { overwrite: true, expect: { sha256: src.sha256, size: 2 * MiB } }))
        .sha256,
    ).toBe(src.sha256);
  });

  it('with overwrite replaces a symlink at the destination, never writing through it', async () => {
    const src = await makeSource(100);
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'do not touch');
    const dest = join(out, 'link');
    await symlink(victim, dest);
    await copyFileVerified(src.path, dest, { overwrite: true });
    expect((await lstat(dest)).isFile()).toBe(true);
    expect(await readFile(victim, 'utf8')).toBe('do not touch');
  });

  it('keeps the fs error code for a missing source and creates nothing', async () => {
    await expect(copyFileVerified(join(dir, 'nope'), join(out, 'x'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses a directory as source', async () => {
    await expect(copyFileVerified(out, join(dir, 'x'))).rejects.toMatchObject({ code: 'EISDIR' });
    expect(await readdir(dir)).toEqual(['out']);
  });

  it('an abort mid-copy removes the temp file and leaves no destination', async () => {
    const src = await makeSource(4 * MiB);
    const ac = new AbortController();
    const err = await copyFileVerified(src.path, join(out, 'a.bin'), {
      signal: ac.signal,
      onProgress: () => ac.abort(),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AbortError' });
    expect(await readdir(out)).toEqual([]);
  });

  it('overwrite: an abort mid-copy keeps the old destination and removes the temp file', async () => {
    const src = await makeSource(4 * MiB);
    const dest = join(out, 'old.bin');
    await writeFile(dest, 'old');
    const ac = new AbortController();
    const err = await copyFileVerified(src.path, dest, {
      overwrite: true,
      signal: ac.signal,
      onProgress: () => ac.abort(),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AbortError' });
    expect(await readFile(dest, 'utf8')).toBe('old');
    expect(await readdir(out)).toEqual(['old.bin']);
  });

  it('overwrite: an abort after the last byte (during verification) keeps the old destination', async () => {
    const src = await makeSource(2 * MiB + 3);
    const dest = join(out, 'old.bin');
    await writeFile(dest, 'old');
    const ac = new AbortController();
    const err = await copyFileVerified(src.path, dest, {
      overwrite: true,
      signal: ac.signal,
      onProgress: (b) => {
        if (b === src.data.length) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AbortError' });
    expect(await readFile(dest, 'utf8')).toBe('old');
    expect(await readdir(out)).toEqual(['old.bin']);
  });

  it("removes the destination's stale temp files (writer gone), keeps a live writer's and other names'", async () => {
    const src = await makeSource(1000);
    const dest = join(out, 'v.bin');
    const dead = await deadPid();
    const old = new Date(Date.now() - 10 * 60_000);
    const stale = join(out, `.tmp__v.bin__${dead}__abcd1234`);
    const live = join(out, `.tmp__v.bin__${process.ppid}__abcd1234`);
    const otherDest = join(out, `.tmp__w.bin__${dead}__abcd1234`);
    for (const p of [stale, live, otherDest]) {
      await writeFile(p, 'partial');
      await utimes(p, old, old);
    }
    await copyFileVerified(src.path, dest);
    expect((await readdir(out)).sort()).toEqual([
      `.tmp__v.bin__${process.ppid}__abcd1234`,
      `.tmp__w.bin__${dead}__abcd1234`,
      'v.bin',
    ]);
  });

  it('a source that grows during the copy fails with VerifyError and leaves nothing', async () => {
    const src = await makeSource(3 * MiB);
    let appended = false;
    const err = await copyFileVerified(src.path, join(out, 'g.bin'), {
      onProgress: () => {
        if (!appended) appendFileSync(src.path, 'more'); // synchronous: the change lands before the next read
        appended = true;
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerifyError);
    expect((err as VerifyError).code).toBe('EVERIFY');
    expect(await readdir(out)).toEqual([]);
  });

  it.skipIf(canMount() !== null)('on a full disk fails with ENOSPC, leaves no file, source untouched', async () => {
    const src = await makeSource(2 * MiB);
    await withTmpfs(dir, 1, async (mnt) => {
      const err = await copyFileVerified(src.path, join(mnt, 'big.bin')).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'ENOSPC' });
      expect(await readdir(mnt)).toEqual([]);
    });
    expect(
      createHash('sha256')
        .update(await readFile(src.path))
        .digest('hex'),
    ).toBe(src.sha256);
  });
});

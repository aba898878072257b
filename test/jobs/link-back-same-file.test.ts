// A source is never removed or replaced when its "copy" is the source itself reached by another path: a hard
// link, or a folder symlink (an upload root configured inside the workspace). The only copy must survive.
import { link, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeSource, replaceWithSymlink } from '../../jobs/store/link-back.js';
import { isSameFile } from '../../lib/fs/same-file.js';

let dir: string;
let src: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ytm-samefile-'));
  await mkdir(path.join(dir, 'ws', 'audio'), { recursive: true });
  src = path.join(dir, 'ws', 'audio', 'CH02-043.wav');
  await writeFile(src, 'the only copy');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function facts(p: string): Promise<{ size: number; mtimeMs: number }> {
  const st = await stat(p);
  return { size: st.size, mtimeMs: st.mtimeMs };
}

describe('same-file check before a source is removed or replaced', () => {
  it('refuses to remove a source whose copy is a hard link to it', async () => {
    const copy = path.join(dir, 'copy.wav');
    await link(src, copy);
    const f = await facts(src);
    await expect(removeSource(src, copy, f.size, f.mtimeMs)).rejects.toMatchObject({ code: 'ESAMEFILE' });
    expect(await readFile(src, 'utf8')).toBe('the only copy');
  });

  it('refuses to remove or link back a source reached through a folder symlink as its copy', async () => {
    await mkdir(path.join(dir, 'share', 'uploads'), { recursive: true });
    await symlink(path.join(dir, 'ws'), path.join(dir, 'share', 'uploads', 'ns'));
    const copy = path.join(dir, 'share', 'uploads', 'ns', 'audio', 'CH02-043.wav');
    const f = await facts(src);
    await expect(removeSource(src, copy, f.size, f.mtimeMs)).rejects.toMatchObject({ code: 'ESAMEFILE' });
    await expect(replaceWithSymlink(src, copy, f.size, f.mtimeMs)).rejects.toMatchObject({ code: 'ESAMEFILE' });
    expect((await lstat(src)).isFile()).toBe(true);
    expect(await readFile(src, 'utf8')).toBe('the only copy');
  });

  it('removes the source when the copy is another file with the same bytes', async () => {
    const copy = path.join(dir, 'copy.wav');
    await writeFile(copy, 'the only copy');
    expect(await isSameFile(src, copy)).toBe(false);
    const f = await facts(src);
    await removeSource(src, copy, f.size, f.mtimeMs);
    await expect(lstat(src)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

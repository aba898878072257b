import { mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fsyncDir, swapSymlink, tempPathFor, writeFileAtomic, writeJsonAtomic } from '../../../lib/fs/atomic.js';
import { canMount, remountReadOnly, withTmpfs } from '../../faults/tmpfs.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ytm-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tempPathFor', () => {
  it('names the temp file in the same directory as .tmp__<basename>__<pid>__<random>', () => {
    const t = tempPathFor(join(dir, 'state.json'));
    expect(t.startsWith(`${dir}/`)).toBe(true);
    expect(basename(t)).toMatch(new RegExp(`^\\.tmp__state\\.json__${process.pid}__[0-9a-f]{8}$`));
    expect(tempPathFor(join(dir, 'state.json'))).not.toBe(t);
  });
});

describe('writeFileAtomic', () => {
  it('creates a file, then replaces its content, leaving no temp files', async () => {
    const p = join(dir, 'state.json');
    await writeFileAtomic(p, 'first');
    expect(await readFile(p, 'utf8')).toBe('first');
    await writeFileAtomic(p, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(p))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('applies an explicit mode exactly (umask not applied)', async () => {
    const p = join(dir, 'secret');
    await writeFileAtomic(p, 'x', { mode: 0o640 });
    expect((await stat(p)).mode & 0o777).toBe(0o640);
  });

  it('concurrent writers each replace the whole file; the result is exactly one of them', async () => {
    const p = join(dir, 'race.txt');
    const payloads = Array.from({ length: 16 }, (_, i) => String(i).repeat(50_000 + i));
    await Promise.all(payloads.map((d) => writeFileAtomic(p, d)));
    expect(payloads).toContain(await readFile(p, 'utf8'));
    expect(await readdir(dir)).toEqual(['race.txt']);
  });

  it('fails when the final name is a non-empty directory: directory intact, no temp file left', async () => {
    const p = join(dir, 'taken');
    await mkdir(p);
    await writeFile(join(p, 'inner'), 'keep');
    const err = await writeFileAtomic(p, 'data').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(['EISDIR', 'ENOTEMPTY', 'EEXIST']).toContain((err as NodeJS.ErrnoException).code);
    expect(await readFile(join(p, 'inner'), 'utf8')).toBe('keep');
    expect(await readdir(dir)).toEqual(['taken']);
  });

  it('fails with ENOENT when the directory does not exist and creates nothing', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'f'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });

  it.skipIf(canMount() !== null)(
    'on a full disk (ENOSPC mid-write) keeps the old file and removes the temp file',
    async () => {
      await withTmpfs(dir, 1, async (mnt) => {
        const p = join(mnt, 'report.json');
        await writeFile(p, 'old content');
        const big = new Uint8Array(2 * 1024 * 1024).fill(7);
        await expect(writeFileAtomic(p, big)).rejects.toMatchObject({ code: 'ENOSPC' });
        expect(await readFile(p, 'utf8')).toBe('old content');
        expect(await readdir(mnt)).toEqual(['report.json']);
      });
    },
  );

  it.skipIf(canMount() !== null)(
    'in a directory that became read-only keeps the old file and leaves nothing',
    async () => {
      await withTmpfs(dir, 1, async (mnt) => {
        const p = join(mnt, 'report.json');
        await writeFile(p, 'old content');
        await remountReadOnly(mnt);
        await expect(writeFileAtomic(p, 'new content')).rejects.toMatchObject({ code: 'EROFS' });
        expect(await readFile(p, 'utf8')).toBe('old content');
        expect(await readdir(mnt)).toEqual(['report.json']);
      });
    },
  );
});

describe('writeJsonAtomic', () => {
  it('writes pretty JSON with a trailing newline', async () => {
    const p = join(dir, 'v.json');
    await writeJsonAtomic(p, { a: 1, b: ['x'] });
    expect(await readFile(p, 'utf8')).toBe('{\n  "a": 1,\n  "b": [\n    "x"\n  ]\n}\n');
  });

  it('refuses a value that is not JSON-serialisable and writes nothing', async () => {
    await expect(writeJsonAtomic(join(dir, 'u.json'), undefined)).rejects.toBeInstanceOf(TypeError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('fsyncDir', () => {
  it('syncs an existing directory and reports a missing one', async () => {
    await expect(fsyncDir(dir)).resolves.toBeUndefined();
    await expect(fsyncDir(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('swapSymlink', () => {
  it('replaces a link in one rename, leaves no temp link behind, and never touches the old target', async () => {
    await writeFile(join(dir, 'old'), 'old');
    await symlink('old', join(dir, 'link'));
    await swapSymlink(join(dir, 'link'), 'new-target');
    expect(await readlink(join(dir, 'link'))).toBe('new-target');
    expect(await readFile(join(dir, 'old'), 'utf8')).toBe('old');
    expect((await readdir(dir)).sort()).toEqual(['link', 'old']);
    // Over a real folder the rename fails: the folder stays and the temp link is gone.
    await mkdir(join(dir, 'folder'));
    await writeFile(join(dir, 'folder', 'kept'), 'x');
    await expect(swapSymlink(join(dir, 'folder'), 'elsewhere')).rejects.toThrow();
    expect(await readFile(join(dir, 'folder', 'kept'), 'utf8')).toBe('x');
    expect((await readdir(dir)).sort()).toEqual(['folder', 'link', 'old']);
  });
});

import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { walkPhysical } from '../../../lib/fs/walk.js';

let base: string;
beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'ytm-walk-')));
  await mkdir(join(base, 'x', 'y'), { recursive: true });
  await writeFile(join(base, 'x', 'z'), 'z');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('walkPhysical', () => {
  it('resolves existing paths and reports a missing tail', async () => {
    expect(await walkPhysical(join(base, 'x', 'z'))).toEqual({ status: 'exists', path: join(base, 'x', 'z') });
    expect(await walkPhysical(join(base, 'x', 'nope', 'deeper'))).toEqual({
      status: 'missing',
      path: join(base, 'x', 'nope', 'deeper'),
    });
    expect((await walkPhysical(join(base, 'x', 'z', 'under-a-file'))).status).toBe('missing');
  });

  it('applies .. inside a symlink target to the target, like the kernel', async () => {
    await symlink(join(base, 'x', 'y'), join(base, 'deep'));
    // kernel: deep -> x/y, then .. -> x, then z => x/z. A lexical resolve would give base/z (missing).
    await symlink('deep/../z', join(base, 'rel'));
    expect(await walkPhysical(join(base, 'rel'))).toEqual({ status: 'exists', path: join(base, 'x', 'z') });
  });

  it('normalises the input path itself lexically (as path.resolve does) before walking', async () => {
    await symlink(join(base, 'x', 'y'), join(base, 'deep'));
    expect(await walkPhysical(join(base, 'deep', '..', 'x', 'z'))).toEqual({
      status: 'exists',
      path: join(base, 'x', 'z'),
    });
  });

  it('stops before touching a guarded path', async () => {
    await symlink(join(base, 'x'), join(base, 'via'));
    const seen: string[] = [];
    const res = await walkPhysical(join(base, 'via', 'y'), {
      stopAt: (p) => {
        seen.push(p);
        return p === join(base, 'x');
      },
    });
    expect(res).toEqual({ status: 'stopped', path: join(base, 'x') });
    expect(seen).not.toContain(join(base, 'x', 'y'));
  });

  it('fails with ELOOP on a symlink cycle', async () => {
    await symlink('b', join(base, 'a'));
    await symlink('a', join(base, 'b'));
    await expect(walkPhysical(join(base, 'a'))).rejects.toMatchObject({ code: 'ELOOP' });
  });
});

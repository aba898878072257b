import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainmentError, isInside, resolveInside } from '../../../lib/fs/contain.js';

let base: string;
let root: string;
beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'ytm-contain-')));
  root = join(base, 'root');
  await mkdir(join(root, 'a', 'b'), { recursive: true });
  await mkdir(join(base, 'outside'));
  await writeFile(join(base, 'outside', 'secret'), 's');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function refusal(userPath: string, r = root): Promise<ContainmentError> {
  const err = await resolveInside(r, userPath).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ContainmentError);
  return err as ContainmentError;
}

describe('isInside', () => {
  it('is lexical and separator-safe', () => {
    expect(isInside('/a/b', '/a/b/c')).toBe(true);
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b/', '/a/b/c/')).toBe(true);
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a')).toBe(false);
    expect(isInside('/a/b', '/a/b/../c')).toBe(false);
    expect(isInside('/a/b', '/a/b/..foo')).toBe(true);
    expect(isInside('/a/b', '/x/a/b')).toBe(false);
  });

  it('compares without case (NFC, lower-cased) when asked', () => {
    expect(isInside('/Volumes/Share', '/volumes/share/planning')).toBe(false);
    expect(isInside('/Volumes/Share', '/volumes/share/planning', { caseInsensitive: true })).toBe(true);
    expect(isInside('/v/Cafe\u0301', '/v/caf\u00e9/x', { caseInsensitive: true })).toBe(true);
    expect(isInside('/Volumes/Share', '/Volumes/Shared/x', { caseInsensitive: true })).toBe(false);
  });
});

describe('resolveInside', () => {
  it('accepts a nested relative path (existing or not) and returns it absolute under root', async () => {
    expect(await resolveInside(root, 'a/b')).toBe(join(root, 'a', 'b'));
    expect(await resolveInside(root, 'a/b/new/file.txt')).toBe(join(root, 'a', 'b', 'new', 'file.txt'));
    expect(await resolveInside(root, join(root, 'a'))).toBe(join(root, 'a'));
    expect(await resolveInside(root, 'a/../a/b')).toBe(join(root, 'a', 'b'));
    expect(await resolveInside(root, '.')).toBe(root);
  });

  it('refuses .. that escapes, naming root and path in the message', async () => {
    const err = await refusal('../outside/secret');
    expect(err.code).toBe('OUTSIDE_ROOT');
    expect(err.message).toContain(root);
    expect(err.message).toContain('../outside/secret');
    await refusal('a/../../outside');
    await refusal('..');
  });

  it('refuses an absolute path outside the root', async () => {
    await refusal('/etc/passwd');
    await refusal(join(base, 'outside', 'secret'));
  });

  it('refuses a sibling that only shares a name prefix (/root2 vs /root)', async () => {
    await mkdir(join(base, 'root2'));
    await refusal(join(base, 'root2', 'f'));
    await refusal('../root2/f');
  });

  it('refuses a NUL byte', async () => {
    const err = await refusal('a/b\0/../../x');
    expect(err.code).toBe('OUTSIDE_ROOT');
    expect(err.message).toContain('NUL');
  });

  it('refuses a symlink that leads outside, also as an ancestor of a missing path', async () => {
    await symlink(join(base, 'outside'), join(root, 'escape'));
    await refusal('escape');
    await refusal('escape/secret');
    await refusal('escape/not/yet/created');
  });

  it('refuses a relative symlink escape and a dangling symlink pointing outside', async () => {
    await symlink('../../outside', join(root, 'a', 'rel-escape'));
    await refusal('a/rel-escape/secret');
    await symlink(join(base, 'outside', 'will-be-created'), join(root, 'dangling'));
    await refusal('dangling');
  });

  it('accepts symlinks that stay inside, and a root that is itself a symlink', async () => {
    await symlink('a/b', join(root, 'inner'));
    expect(await resolveInside(root, 'inner/x')).toBe(join(root, 'inner', 'x'));
    const rootLink = join(base, 'root-link');
    await symlink(root, rootLink);
    expect(await resolveInside(rootLink, 'a/b')).toBe(join(rootLink, 'a', 'b'));
    await refusal('../outside', rootLink);
  });

  it('rejects a symlink loop instead of accepting it', async () => {
    await symlink('loop2', join(root, 'loop1'));
    await symlink('loop1', join(root, 'loop2'));
    await expect(resolveInside(root, 'loop1/x')).rejects.toMatchObject({ code: 'ELOOP' });
  });
});

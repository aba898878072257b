// The copy reads back different bytes (a lying disk / share): simulated by making the re-read hash report
// something else. Everything else (the copy, placement, cleanup) is real. The FUSE variant with a file system
// that really corrupts reads is test/faults/copy-verified-corrupt.test.ts.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../../lib/fs/hash.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../lib/fs/hash.js')>();
  return {
    ...real,
    sha256File: async (path: string) => ({ ...(await real.sha256File(path)), sha256: '0'.repeat(64) }),
  };
});

const { copyFileVerified, VerifyError } = await import('../../../lib/fs/copy-verified.js');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ytm-copy-mismatch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('copyFileVerified verification', () => {
  it('places nothing and throws VerifyError when the re-read hash differs', async () => {
    const src = join(dir, 'src');
    await writeFile(src, 'payload');
    const err = await copyFileVerified(src, join(dir, 'dest')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerifyError);
    expect(err).toMatchObject({
      code: 'EVERIFY',
      details: { actual: { sha256: '0'.repeat(64), size: 7 }, expected: { size: 7 } },
    });
    expect((await readdir(dir)).sort()).toEqual(['src']);
  });

  it('with overwrite keeps the old destination when the re-read hash differs', async () => {
    const src = join(dir, 'src');
    await writeFile(src, 'payload');
    await writeFile(join(dir, 'dest'), 'old copy');
    const err = await copyFileVerified(src, join(dir, 'dest'), { overwrite: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerifyError);
    expect(await readFile(join(dir, 'dest'), 'utf8')).toBe('old copy');
    expect((await readdir(dir)).sort()).toEqual(['dest', 'src']);
  });
});

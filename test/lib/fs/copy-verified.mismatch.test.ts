// The destination reads back different bytes (a lying disk / share): simulated by making the re-read
// hash report something else. Everything else (the copy, rename, cleanup) is real.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
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
  it('deletes the destination and throws VerifyError when the re-read hash differs', async () => {
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
});

import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256File, sha256Hex } from '../../../lib/fs/hash.js';

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ytm-hash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 vectors for strings and bytes', () => {
    expect(sha256Hex('')).toBe(EMPTY);
    expect(sha256Hex('abc')).toBe(ABC);
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe(ABC);
  });
});

describe('sha256File', () => {
  it('hashes the known vector and an empty file', async () => {
    await writeFile(join(dir, 'abc'), 'abc');
    await writeFile(join(dir, 'empty'), '');
    expect(await sha256File(join(dir, 'abc'))).toEqual({ sha256: ABC, size: 3 });
    expect(await sha256File(join(dir, 'empty'))).toEqual({ sha256: EMPTY, size: 0 });
  });

  it('matches node:crypto over a multi-MiB file that is not a whole number of chunks', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 123);
    const p = join(dir, 'big.bin');
    await writeFile(p, data);
    const expected = createHash('sha256').update(data).digest('hex');
    expect(await sha256File(p)).toEqual({ sha256: expected, size: data.length });
  });

  it('rejects with the fs error code for a missing file', async () => {
    await expect(sha256File(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects with an AbortError when the signal is aborted', async () => {
    const p = join(dir, 'f');
    await writeFile(p, randomBytes(3 * 1024 * 1024));
    const ac = new AbortController();
    ac.abort();
    await expect(sha256File(p, { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

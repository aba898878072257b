// The source-hash cache shared by a plan and its re-check in another process: a kept hash is served only while
// the file's stat (device, inode, size, mtime, ctime) is unchanged.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedSha256, forgetHash } from '../../jobs/engine/hash-cache.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ytm-hash-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('cachedSha256 with a kept cache', () => {
  it('serves a kept hash to a process that has not read the file, and re-reads once the file is written', async () => {
    const file = path.join(dir, 'a.wav');
    const keepIn = path.join(dir, 'cache');
    writeFileSync(file, 'first content');
    expect(await cachedSha256(file, { keepIn })).toEqual({ sha256: sha('first content'), size: 13 });

    // Another process would start with an empty memory: forget it here, and mark the kept entry so that serving
    // it (instead of reading the file) shows.
    const [entry] = readdirSync(keepIn);
    const entryPath = path.join(keepIn, entry as string);
    const kept = JSON.parse(readFileSync(entryPath, 'utf8')) as { sha256: string };
    writeFileSync(entryPath, JSON.stringify({ ...kept, sha256: 'f'.repeat(64) }));
    forgetHash(file);
    expect((await cachedSha256(file, { keepIn })).sha256).toBe('f'.repeat(64));

    // Same size, new bytes: ctime moves, the kept entry no longer matches.
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(file, 'other content');
    forgetHash(file);
    expect((await cachedSha256(file, { keepIn })).sha256).toBe(sha('other content'));
  });

  it('without keepIn nothing is written, and a kept entry for another path is never served', async () => {
    const a = path.join(dir, 'a.bin');
    const b = path.join(dir, 'b.bin');
    writeFileSync(a, 'aaa');
    writeFileSync(b, 'bbb');
    await cachedSha256(a);
    expect(readdirSync(dir).sort()).toEqual(['a.bin', 'b.bin']);
    const keepIn = path.join(dir, 'cache');
    await cachedSha256(a, { keepIn });
    forgetHash(b);
    expect((await cachedSha256(b, { keepIn })).sha256).toBe(sha('bbb'));
  });
});

// realPathUnder: what a guard sees of a path. Folder symlinks are resolved, the last name is kept unless
// asked, containment is judged on the real path, and on a case-insensitive volume (a real exFAT volume here)
// the comparison key ignores case; names are compared in NFC.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCaseInsensitiveVolume, pathKey, realPathUnder } from '../../../lib/fs/real-path.js';
import { type ExfatMount, mountExfat } from '../../faults/exfat.js';

const touch = (p: string) => {
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, 'x');
};

describe('on a case-sensitive volume', () => {
  let base: string;
  let ws: string;
  beforeAll(() => {
    base = realpathSync(mkdtempSync(path.join(tmpdir(), 'ytm-realpath-')));
    ws = path.join(base, 'ws');
    touch(path.join(ws, 'video/runs/r1/final.mp4'));
    touch(path.join(base, 'outside/loot.wav'));
    mkdirSync(path.join(ws, 'episodes'));
    symlinkSync('../video/runs/r1', path.join(ws, 'episodes/x'));
    symlinkSync('video/runs/r1/final.mp4', path.join(ws, 'link.mp4'));
    symlinkSync(path.join(base, 'outside'), path.join(ws, 'escape'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('is probed as case-sensitive', async () => {
    expect(await isCaseInsensitiveVolume(ws)).toBe(false);
  });

  it('resolves a folder symlink to the folder it names', async () => {
    const r = await realPathUnder(ws, 'episodes/x/final.mp4');
    expect(r).toMatchObject({
      abs: path.join(ws, 'video/runs/r1/final.mp4'),
      root: ws,
      rel: 'video/runs/r1/final.mp4',
      key: 'video/runs/r1/final.mp4',
      caseInsensitive: false,
    });
  });

  it('keeps the last name unless followLast', async () => {
    expect((await realPathUnder(ws, 'link.mp4')).rel).toBe('link.mp4');
    expect((await realPathUnder(ws, 'link.mp4', { followLast: true })).rel).toBe('video/runs/r1/final.mp4');
  });

  it('a folder symlink leading out is outside (rel and key null)', async () => {
    const r = await realPathUnder(ws, 'escape/loot.wav');
    expect(r.abs).toBe(path.join(base, 'outside/loot.wav'));
    expect(r.rel).toBeNull();
    expect(r.key).toBeNull();
  });

  it('a missing tail is kept as typed', async () => {
    expect((await realPathUnder(ws, 'episodes/x/new/take.wav')).rel).toBe('video/runs/r1/new/take.wav');
    expect((await realPathUnder(ws, 'nope/take.wav')).rel).toBe('nope/take.wav');
  });

  it('the key keeps case here, but is NFC; forcing case-insensitive lower-cases it', async () => {
    const nfd = 'Cafe\u0301.wav';
    touch(path.join(ws, nfd));
    const r = await realPathUnder(ws, nfd);
    expect(r.rel).toBe(nfd);
    expect(r.key).toBe('Caf\u00e9.wav');
    const forced = await realPathUnder(ws, 'Video/runs/r1/final.mp4', { caseInsensitive: true });
    expect(forced).toMatchObject({ rel: 'Video/runs/r1/final.mp4', key: 'video/runs/r1/final.mp4' });
    expect(forced.caseInsensitive).toBe(true);
  });
});

describe('on a case-insensitive volume (exFAT)', () => {
  let vol: ExfatMount;
  let ws: string;
  beforeAll(async () => {
    vol = await mountExfat(tmpdir());
    ws = path.join(vol.dir, 'ws');
    touch(path.join(ws, 'thumbnails/assets/CH02/043/00_thumb.png'));
  });
  afterAll(async () => {
    await vol?.close();
  });

  it('is probed as case-insensitive (exfat-fuse gives each spelling its own inode number)', async () => {
    expect(await isCaseInsensitiveVolume(ws)).toBe(true);
  });

  it('another spelling has the same key as the folder a rule names', async () => {
    const r = await realPathUnder(ws, 'Thumbnails/Assets/CH02/043/00_thumb.png');
    expect(r.caseInsensitive).toBe(true);
    expect(r.key).toBe('thumbnails/assets/ch02/043/00_thumb.png');
    expect(r.key?.startsWith(pathKey('thumbnails/', true))).toBe(true);
  });

  it('the root spelled otherwise is still the root', async () => {
    const r = await realPathUnder(ws, path.join(vol.dir, 'WS', 'thumbnails/assets/CH02/043/00_thumb.png'));
    expect(r.rel).toBe('thumbnails/assets/CH02/043/00_thumb.png');
  });
});

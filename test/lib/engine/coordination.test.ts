import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blockingLocks,
  blockingLocksForFile,
  type CoordinationLock,
  coordinationLocksDir,
  intersects,
  parseLockTime,
  readActiveLocks,
  readCoordinationLocks,
  scopeIntersects,
} from '../../../lib/locks/coordination.js';
import { globToRegExp, staticPrefix } from '../../../lib/locks/glob.js';
import { tempDir } from './helpers.js';

describe('scopeIntersects (facts §3.5)', () => {
  it.each([
    // rule 1: non-glob scope — equal, or either is a parent of the other
    ['workspaces/video/runs/r1', 'workspaces/video/runs/r1', true],
    ['workspaces/video/runs/r1/a.json', 'workspaces/video/runs/r1', true],
    ['workspaces/video', 'workspaces/video/runs/r1', true],
    ['workspaces/video/runs/r10', 'workspaces/video/runs/r1', false], // prefix of a name is not a parent
    ['workspaces/audio', 'workspaces/video/runs/r1', false],
    // rule 2: the path matches the glob (fnmatch: * crosses /)
    ['workspaces/video/runs/CH02-043_a', 'workspaces/video/runs/CH02-043_*', true],
    ['workspaces/video/runs/CH02-043_a/x/y.json', 'workspaces/video/runs/CH02-043_*', true],
    ['workspaces/video/runs/CH02-044_a', 'workspaces/video/runs/CH02-043_*', false],
    ['workspaces/video/_capcut_drafts/d1/draft.json', 'workspaces/video/_capcut_drafts/**', true],
    ['workspaces/a/CH1.csv', 'workspaces/a/CH?.csv', true],
    ['workspaces/a/CH12.csv', 'workspaces/a/CH?.csv', false],
    ['workspaces/a/CH3.csv', 'workspaces/a/CH[12].csv', false],
    ['workspaces/a/CH3.csv', 'workspaces/a/CH[!12].csv', true],
    // rule 3: the path is a parent of (or is) the glob's static prefix
    ['workspaces/video/runs', 'workspaces/video/runs/CH02-043_*', true],
    ['workspaces', 'workspaces/video/runs/CH02-043_*', true],
    ['workspaces/video/_capcut_drafts', 'workspaces/video/_capcut_drafts/**', true],
    ['workspaces/video/run', 'workspaces/video/runs/CH02-043_*', false],
    ['workspaces/audio/x', 'workspaces/video/runs/CH02-043_*', false],
    // normalisation: slashes at the ends and backslashes
    ['/workspaces/video/runs/r1/', 'workspaces\\video\\runs\\r1', true],
    ['', 'workspaces', false],
    ['workspaces', '  ', false],
  ])('%s vs %s → %s', (path, scope, expected) => {
    expect(scopeIntersects(path, scope)).toBe(expected);
  });

  it('regex metacharacters in scopes are literal', () => {
    expect(scopeIntersects('a/b+c(1).txt', 'a/b+c(1).*')).toBe(true);
    expect(scopeIntersects('a/bbc(1).txt', 'a/b+c(1).*')).toBe(false);
    expect(globToRegExp('x.y').test('xzy')).toBe(false);
  });

  it('staticPrefix stops at the first wildcard', () => {
    expect(staticPrefix('workspaces/video/runs/CH02-043_*')).toBe('workspaces/video/runs/CH02-043_');
    expect(staticPrefix('a/**/b')).toBe('a/');
    expect(staticPrefix('a/b')).toBe('a/b');
  });

  it('intersects checks any scope', () => {
    expect(intersects('workspaces/x', ['other', 'workspaces/x/y'])).toBe(true);
    expect(intersects('workspaces/x', ['other'])).toBe(false);
    expect(intersects('workspaces/x', [])).toBe(false);
  });
});

describe('parseLockTime', () => {
  it('treats naive timestamps as UTC and honours offsets and Z', () => {
    expect(parseLockTime('2026-01-26T12:50:00')?.toISOString()).toBe('2026-01-26T12:50:00.000Z');
    expect(parseLockTime('2026-01-26T12:50:00Z')?.toISOString()).toBe('2026-01-26T12:50:00.000Z');
    expect(parseLockTime('2026-01-26T12:50:00+00:00')?.toISOString()).toBe('2026-01-26T12:50:00.000Z');
    expect(parseLockTime('2026-01-26T21:50:00+09:00')?.toISOString()).toBe('2026-01-26T12:50:00.000Z');
    expect(parseLockTime('2026-01-26T12:50:00.123456')?.toISOString()).toBe('2026-01-26T12:50:00.123Z');
    expect(parseLockTime('next tuesday')).toBeUndefined();
  });
});

describe('reading lock files', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    await mkdir(coordinationLocksDir(dir), { recursive: true });
  });
  afterEach(() => cleanup());

  const NOW = new Date('2026-01-26T11:00:00Z');
  const write = (name: string, body: unknown) =>
    writeFile(join(coordinationLocksDir(dir), name), typeof body === 'string' ? body : JSON.stringify(body));
  const lock = (id: string, extra: Record<string, unknown>) => ({
    schema_version: 1,
    kind: 'lock',
    id,
    created_at: '2026-01-26T10:50:00Z',
    created_by: 'dd-cleanup-01',
    mode: 'no_write',
    scopes: ['workspaces/video/runs/CH02-043_*', 'workspaces/video/_capcut_drafts/**'],
    note: 'CH02 image regen',
    ...extra,
  });

  it('reads active locks: future expiry (offset or naive UTC) or none; skips expired and malformed', async () => {
    await write('lock__20260126T105000Z__a1b2c3d4.json', lock('lock__a', { expires_at: '2026-01-26T12:50:00+00:00' }));
    await write('lock__20260126T105000Z__00000002.json', lock('lock__b', { expires_at: '2026-01-26T10:59:59' }));
    await write('lock__20260126T105000Z__00000003.json', lock('lock__c', { expires_at: '2026-01-26T11:00:01' }));
    await write('lock__20260126T105000Z__00000004.json', lock('lock__d', { expires_at: null }));
    await write('lock__20260126T105000Z__00000005.json', lock('lock__e', { created_by: 'me' }));
    await write('lock__broken.json', '{not json');
    await write('lock__noid.json', lock('', {}));
    await write('notalock.json', lock('lock__z', {}));
    const invalid: string[] = [];
    const all = await readCoordinationLocks(dir, { onInvalid: (f) => invalid.push(f) });
    expect(all.map((l) => l.id).sort()).toEqual(['lock__a', 'lock__b', 'lock__c', 'lock__d', 'lock__e']);
    expect(invalid).toHaveLength(2);
    const active = await readActiveLocks(dir, { now: NOW });
    expect(active.map((l) => l.id).sort()).toEqual(['lock__a', 'lock__c', 'lock__d', 'lock__e']);
    const notMine = await readActiveLocks(dir, { now: NOW, ignoreCreatedBy: 'me' });
    expect(notMine.map((l) => l.id).sort()).toEqual(['lock__a', 'lock__c', 'lock__d']);
  });

  it('a missing lock directory means no locks', async () => {
    expect(await readCoordinationLocks(join(dir, 'nope'))).toEqual([]);
  });

  it('blockingLocks returns the locks that cover a path, honouring ignoreCreatedBy and expiry', () => {
    const mk = (id: string, scopes: string[], createdBy = 'agent', expiresAt?: Date): CoordinationLock => ({
      id,
      createdBy,
      mode: 'no_write',
      scopes,
      file: `${id}.json`,
      ...(expiresAt ? { expiresAt } : {}),
    });
    const locks = [
      mk('runs', ['workspaces/video/runs/CH02-043_*']),
      mk('mine', ['workspaces/video/runs'], 'me'),
      mk('old', ['workspaces/video'], 'agent', new Date('2026-01-01T00:00:00Z')),
      mk('audio', ['workspaces/audio/final/CH02']),
    ];
    const ids = (p: string, o = {}) => blockingLocks(p, locks, { now: NOW, ...o }).map((l) => l.id);
    expect(ids('workspaces/video/runs/CH02-043_r1/capcut_draft_info.json')).toEqual(['runs', 'mine']);
    expect(ids('workspaces/video/runs/CH02-043_r1/x', { ignoreCreatedBy: 'me' })).toEqual(['runs']);
    expect(ids('workspaces/video/runs/CH02-044_r1')).toEqual(['mine']);
    expect(ids('workspaces/audio/final/CH02/043/a.wav')).toEqual(['audio']);
    expect(ids('workspaces/scripts/CH02/043/status.json')).toEqual([]);
  });

  it('blockingLocksForFile checks a symlink at its own place and at its in-repo target', async () => {
    const repo = join(dir, 'repo');
    await mkdir(join(repo, 'workspaces/video/runs/CH02-043_r1'), { recursive: true });
    await mkdir(join(repo, 'workspaces/episodes/CH02-043'), { recursive: true });
    const link = join(repo, 'workspaces/episodes/CH02-043/run');
    await symlink('../../video/runs/CH02-043_r1', link);
    const locks: CoordinationLock[] = [
      { id: 'runs', createdBy: 'a', mode: 'no_write', scopes: ['workspaces/video/runs/CH02-043_*'], file: 'f1' },
    ];
    expect((await blockingLocksForFile(repo, link, locks)).map((l) => l.id)).toEqual(['runs']);
    const other = join(repo, 'workspaces/episodes/CH02-043/plain');
    await writeFile(other, 'x');
    expect(await blockingLocksForFile(repo, other, locks)).toEqual([]);
  });
});

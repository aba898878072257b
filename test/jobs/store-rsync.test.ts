// The store job's rsync retry honours the rsync settings: the argument list rsync really receives (recorded by a
// stand-in that then runs the real rsync) and the verified file it leaves behind.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rsyncVerified } from '../../jobs/store/rsync.js';
import { loadConfig } from '../../lib/config.js';
import { rsyncSettings } from '../../lib/rsync/settings.js';
import { fakeRsync } from './support/fake-rsync.js';
import { sha256Of } from './support/workspace.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ytm-rsync-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function settingsFrom(env: Record<string, string>) {
  const r = loadConfig({ YTM_WORKSPACE_ROOT: dir, YTM_ENV_FILE: '/nonexistent/.env', ...env });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return rsyncSettings(r.config);
}

/** Copies a fresh file with the given settings; returns rsync's recorded options (the arguments before src). */
async function copyWith(env: Record<string, string>): Promise<string[]> {
  const fake = fakeRsync(dir);
  const src = path.join(dir, 'CH02-043.wav');
  writeFileSync(src, randomBytes(256 * 1024));
  const dest = path.join(dir, 'share', 'CH02-043.wav');
  mkdirSync(path.dirname(dest));
  const expected = { sha256: sha256Of(src), size: 256 * 1024 };
  const got = await rsyncVerified(src, dest, {
    rsync: settingsFrom({ YTM_RSYNC_BIN: fake.bin, ...env }),
    expected,
    overwrite: false,
  });
  expect(got).toEqual(expected);
  expect(sha256Of(dest)).toBe(expected.sha256);
  expect(readdirSync(path.dirname(dest))).toEqual(['CH02-043.wav']);
  // The first call is the version probe (`--version`), the second the copy.
  const calls = fake.calls().filter((c) => c[0] !== '--version');
  expect(calls).toHaveLength(1);
  const argv = calls[0] as string[];
  expect(argv.at(-2)).toBe(src);
  expect(path.dirname(argv.at(-1) as string)).toBe(path.dirname(dest)); // a temp name beside the destination
  return argv.slice(0, -2);
}

describe('rsync settings reach rsync', () => {
  it('defaults: --whole-file and a 60 s --timeout, no --bwlimit', async () => {
    expect(await copyWith({})).toEqual(['--whole-file', '--timeout=60']);
  });

  it('YTM_RSYNC_TIMEOUT_SEC=0 means no --timeout at all (not 1 s)', async () => {
    expect(await copyWith({ YTM_RSYNC_TIMEOUT_SEC: '0' })).toEqual(['--whole-file']);
  });

  it('YTM_RSYNC_WHOLE_FILE=0 drops --whole-file; YTM_RSYNC_BWLIMIT_KBPS and the timeout are passed as given', async () => {
    expect(
      await copyWith({ YTM_RSYNC_WHOLE_FILE: 'no', YTM_RSYNC_TIMEOUT_SEC: '15', YTM_RSYNC_BWLIMIT_KBPS: '50000' }),
    ).toEqual(['--timeout=15', '--bwlimit=50000']);
  });

  it('without YTM_RSYNC_BIN, the first preferred rsync that exists, else rsync on PATH', () => {
    const r = loadConfig({ YTM_WORKSPACE_ROOT: dir, YTM_ENV_FILE: '/nonexistent/.env' });
    if (!r.ok) throw new Error('config');
    const present = path.join(dir, 'usr-local-rsync');
    writeFileSync(present, '');
    expect(rsyncSettings(r.config, [path.join(dir, 'opt-homebrew-rsync'), present]).bin).toBe(present);
    expect(rsyncSettings(r.config, [path.join(dir, 'none')]).bin).toBe('rsync');
  });
});

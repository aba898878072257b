// lib/rsync against the real rsync on real files: the counts read from --itemize-changes (created, updated,
// deleted, bytes) match what changed, a dry run counts what the run then does, exit codes map to outcomes,
// and each YTM_RSYNC_* / YTM_MIRROR_NICE setting reaches the rsync process.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { treeSyncArgs } from '../../lib/rsync/args.js';
import { rsyncExit } from '../../lib/rsync/exit.js';
import { parseItemLine } from '../../lib/rsync/itemize.js';
import { runRsync } from '../../lib/rsync/run.js';
import { findRsyncBin, rsyncSettings } from '../../lib/rsync/settings.js';
import { probeRsync } from '../../lib/rsync/version.js';

let dir: string;
let src: string;
let dest: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ytm-rsync-run-'));
  src = path.join(dir, 'src');
  dest = path.join(dir, 'dest');
  mkdirSync(src);
  mkdirSync(dest);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function put(p: string, content: string | Buffer): void {
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
}

function settingsFrom(env: Record<string, string> = {}) {
  const r = loadConfig({ YTM_WORKSPACE_ROOT: dir, YTM_ENV_FILE: '/nonexistent/.env', ...env });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return rsyncSettings(r.config);
}

async function sync(opts: {
  dryRun: boolean;
  delete?: boolean;
  maxDelete?: number | null;
  env?: Record<string, string>;
}) {
  const s = settingsFrom(opts.env);
  const { caps } = await probeRsync(s.bin);
  const args = treeSyncArgs(s, caps, {
    src,
    dest,
    delete: opts.delete ?? true,
    maxDelete: opts.maxDelete ?? null,
    excludes: [],
    dryRun: opts.dryRun,
  });
  return runRsync(s, args, { withSizes: caps.outFormat, srcRoot: src });
}

describe('counts from the itemized output', () => {
  it('a first run, then a change of each kind; the dry run counts what the run does', async () => {
    put(path.join(src, 'a.txt'), 'x'.repeat(100));
    put(path.join(src, 'sub', 'b.bin'), Buffer.alloc(5000, 1));
    put(path.join(src, '★【特集】', 'ｶﾞ.txt'.normalize('NFD')), 'yz');
    const dry = await sync({ dryRun: true });
    const first = await sync({ dryRun: false });
    expect(first.outcome).toBe('ok');
    // Files a.txt, b.bin, ｶﾞ.txt; folders sub/, ★【特集】/ (the destination folder itself exists).
    expect(first.counts).toEqual({ created: 5, updated: 0, deleted: 0, bytes: 5102 });
    expect(dry.counts).toEqual(first.counts);

    put(path.join(src, 'a.txt'), 'y'.repeat(300)); // updated
    rmSync(path.join(src, 'sub'), { recursive: true }); // sub/ and sub/b.bin deleted
    put(path.join(src, 'new.txt'), 'n'); // created
    const dry2 = await sync({ dryRun: true });
    const second = await sync({ dryRun: false });
    expect(second.counts).toEqual({ created: 1, updated: 1, deleted: 2, bytes: 301 });
    expect(dry2.counts).toEqual(second.counts);
    expect((await sync({ dryRun: true })).counts).toEqual({ created: 0, updated: 0, deleted: 0, bytes: 0 });
    expect(second.files).toBeGreaterThan(0);
  });

  it('parses itemize lines with sizes (--out-format) and without (openrsync -i)', () => {
    expect(parseItemLine('>f+++++++++ 6 b c.txt', true)).toEqual({
      kind: 'created',
      file: true,
      size: 6,
      name: 'b c.txt',
    });
    expect(parseItemLine('>f.st...... 12 a', true)).toEqual({ kind: 'updated', file: true, size: 12, name: 'a' });
    expect(parseItemLine('*deleting   0 old/', true)).toEqual({ kind: 'deleted', file: false, size: 0, name: 'old/' });
    expect(parseItemLine('.d..t...... 4096 ./', true)).toBeNull();
    expect(parseItemLine('cL+++++++++ lnk', false)).toEqual({ kind: 'created', file: false, size: null, name: 'lnk' });
    expect(parseItemLine('Number of files: 5 (reg: 2, dir: 2, link: 1)', true)).toBeNull();
  });
});

describe('exit codes', () => {
  it('--max-delete stops deletions: exit 25, over-limit, and no more than the limit is deleted', async () => {
    for (const n of ['1', '2', '3']) put(path.join(dest, `extra${n}`), n);
    const r = await sync({ dryRun: false, maxDelete: 1 });
    expect(r.exitCode).toBe(25);
    expect(r.outcome).toBe('over-limit');
    expect(r.counts.deleted).toBe(1);
  });

  it('a missing source is a partial transfer (23); a killed rsync is interrupted, named by its signal', async () => {
    rmSync(src, { recursive: true });
    const r = await sync({ dryRun: false });
    expect(r.exitCode).toBe(23);
    expect(r.outcome).toBe('partial');
    expect(rsyncExit(null, 'SIGKILL')).toEqual({ outcome: 'interrupted', message: 'rsync was killed by SIGKILL' });
    expect(rsyncExit(30).outcome).toBe('timeout');
    expect(rsyncExit(24).outcome).toBe('vanished');
    expect(rsyncExit(12).message).toContain('protocol data stream');
  });

  it('an rsync that cannot start is a failure, not a crash', async () => {
    const r = await runRsync({ ...settingsFrom(), bin: '/nonexistent/rsync', nice: 0 }, ['--version']);
    expect(r.outcome).toBe('failed');
    expect(r.spawnError).toBeDefined();
  });
});

describe('settings reach rsync', () => {
  /** A YTM_RSYNC_BIN that records its niceness and arguments, then runs the real rsync. */
  function recorder(): { bin: string; nice: () => number; args: () => string[] } {
    const real = execFileSync('sh', ['-c', 'command -v rsync'], { encoding: 'utf8' }).trim();
    const bin = path.join(dir, 'rsync-rec');
    const log = path.join(dir, 'rec');
    writeFileSync(
      bin,
      `#!/bin/sh\n[ "$1" = --version ] || { ps -o ni= -p $$ > '${log}.nice'; printf '%s\\n' "$@" > '${log}.args'; }\nexec '${real}' "$@"\n`,
    );
    chmodSync(bin, 0o755);
    return {
      bin,
      nice: () => Number(readFileSync(`${log}.nice`, 'utf8').trim()),
      args: () => readFileSync(`${log}.args`, 'utf8').trim().split('\n'),
    };
  }

  it('YTM_MIRROR_NICE runs rsync under nice -n N; 0 runs it directly; default 10', async () => {
    const rec = recorder();
    const base = getPriority();
    await sync({ dryRun: true, env: { YTM_RSYNC_BIN: rec.bin, YTM_MIRROR_NICE: '7' } });
    expect(rec.nice()).toBe(Math.min(19, base + 7));
    await sync({ dryRun: true, env: { YTM_RSYNC_BIN: rec.bin, YTM_MIRROR_NICE: '0' } });
    expect(rec.nice()).toBe(base);
    await sync({ dryRun: true, env: { YTM_RSYNC_BIN: rec.bin } });
    expect(rec.nice()).toBe(Math.min(19, base + 10));
    expect(loadConfig({ YTM_WORKSPACE_ROOT: dir, YTM_MIRROR_NICE: '25' }).ok).toBe(false);
  });

  it('YTM_RSYNC_TIMEOUT_SEC, YTM_RSYNC_BWLIMIT_KBPS and YTM_RSYNC_WHOLE_FILE reach the mirror rsync', async () => {
    const rec = recorder();
    await sync({
      dryRun: true,
      env: { YTM_RSYNC_BIN: rec.bin, YTM_RSYNC_TIMEOUT_SEC: '17', YTM_RSYNC_BWLIMIT_KBPS: '900' },
    });
    expect(rec.args()).toEqual(expect.arrayContaining(['--whole-file', '--timeout=17', '--bwlimit=900']));
    await sync({
      dryRun: true,
      env: { YTM_RSYNC_BIN: rec.bin, YTM_RSYNC_TIMEOUT_SEC: '0', YTM_RSYNC_WHOLE_FILE: '0' },
    });
    expect(rec.args().some((a) => a.startsWith('--timeout') || a.startsWith('--bwlimit') || a === '--whole-file')).toBe(
      false,
    );
  });

  it('YTM_RSYNC_BIN wins; without it the first preferred rsync that exists, else rsync on PATH', () => {
    const present = path.join(dir, 'usr-local-rsync');
    writeFileSync(present, '');
    expect(findRsyncBin('/x/rsync', [present])).toBe('/x/rsync');
    expect(findRsyncBin(null, [path.join(dir, 'opt-homebrew-rsync'), present])).toBe(present);
    expect(findRsyncBin(null, [path.join(dir, 'none')])).toBe('rsync');
  });
});

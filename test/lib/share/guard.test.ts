// Needs a build: the guard child runs from dist/ (`npm test` builds first; otherwise run `npm run build`).
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../../lib/guard/entry.js';
import { guardChildEnv, isSecretEnvName } from '../../../lib/guard/env.js';
import type { ExistsState, GuardOp, ReadTextResult, ScanAbsLinksResult } from '../../../lib/guard/ops.js';
import { parseChildOutput, runGuarded } from '../../../lib/guard/run.js';
import { assertBuilt } from './dist-check.js';

let tmp: string;

beforeAll(async () => {
  assertBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'ytm-guard-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('compiledEntry', () => {
  it('maps a source module to <root>/dist/<rel>', () => {
    const url = pathToFileURL('/repo/lib/guard/entry.ts').href;
    expect(compiledEntry('lib/guard/child.js', url)).toBe('/repo/dist/lib/guard/child.js');
  });
  it('maps a compiled module to <dist>/<rel>', () => {
    const url = pathToFileURL('/repo/dist/lib/guard/entry.js').href;
    expect(compiledEntry('lib/guard/child.js', url)).toBe('/repo/dist/lib/guard/child.js');
  });
  it('defaults to this checkout', () => {
    expect(compiledEntry('lib/guard/child.js')).toBe(path.resolve('dist/lib/guard/child.js'));
  });
});

describe('runGuarded: failures are results', () => {
  it('a child that crashes with an uncaught exception gives reason error with its stderr', async () => {
    const r = await runGuarded({ op: '_selftest', mode: 'throw' }, { timeoutMs: 10_000 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('error');
    expect(r.message).toMatch(/exited with code 1 without a result/);
    expect(r.message).toContain('selftest: uncaught crash');
  });

  it('a child that exits silently gives reason error with the exit code', async () => {
    const r = await runGuarded({ op: '_selftest', mode: 'exit' }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ ok: false, reason: 'error', message: expect.stringContaining('code 7') });
  });

  it('a child that prints garbage gives reason error', async () => {
    const r = await runGuarded({ op: '_selftest', mode: 'garbage' }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ ok: false, reason: 'error', message: expect.stringContaining('without a result') });
  });

  it('an unknown or malformed op is refused by the child with a message naming what is accepted', async () => {
    const r = await runGuarded({ op: 'rm-rf' } as unknown as GuardOp, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ ok: false, reason: 'error' });
    if (!r.ok) expect(r.message).toMatch(/unknown op "rm-rf"; accepted: probe-share, exists/);
    const bad = await runGuarded({ op: 'exists', paths: 'nope' } as unknown as GuardOp, { timeoutMs: 10_000 });
    expect(bad).toMatchObject({ ok: false, reason: 'error', message: expect.stringContaining('paths must be') });
  });

  it('a child that does not answer in time is a timeout, decided without waiting for the child', async () => {
    // The child sleeps far longer than this test may run: an answer at all means nobody waited for it.
    const r = await runGuarded({ op: '_selftest', mode: 'sleep', ms: 600_000 }, { timeoutMs: 300 });
    expect(r).toMatchObject({
      ok: false,
      reason: 'timeout',
      message: 'guard op _selftest sleep timed out after 300ms',
    });
  });

  it('passes values through (echo)', async () => {
    const r = await runGuarded<{ a: number[] }>(
      { op: '_selftest', mode: 'echo', value: { a: [1, 2] } },
      { timeoutMs: 10_000 },
    );
    expect(r).toMatchObject({ ok: true, value: { a: [1, 2] } });
  });

  it('parseChildOutput takes the last line only when it is a result', () => {
    expect(parseChildOutput('noise\n{"ok":true,"value":3}\n')).toEqual({ ok: true, value: 3 });
    expect(parseChildOutput('{"ok":true,"value":3}\ntrailing garbage\n')).toBeNull();
    expect(parseChildOutput('')).toBeNull();
  });
});

describe('child environment', () => {
  const parent = {
    PATH: '/usr/bin',
    HOME: '/root',
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_APP_TOKEN: 'xapp-1',
    SLACK_SIGNING_SECRET: 's',
    slack_lowercase: 'x',
    GITHUB_TOKEN: 'ghp',
    MY_API_TOKEN_FILE: '/x',
    AWS_SECRET_ACCESS_KEY: 'k',
    NODE_OPTIONS: '--inspect',
    YTM_SHARED_STORAGE_ROOT: '/mnt/share',
  };

  it('guardChildEnv drops SLACK_*, *TOKEN*, *SECRET* and NODE_OPTIONS and keeps the rest', () => {
    expect(guardChildEnv(parent)).toEqual({ PATH: '/usr/bin', HOME: '/root', YTM_SHARED_STORAGE_ROOT: '/mnt/share' });
    expect(isSecretEnvName('SLACK_API_URL')).toBe(true);
    expect(isSecretEnvName('YTM_SLACK_ALERT_CHANNEL')).toBe(false);
  });

  it('the real child sees none of them', async () => {
    const r = await runGuarded<{ secretLike: string[]; nodeOptions: boolean }>(
      { op: '_selftest', mode: 'env-keys' },
      { timeoutMs: 10_000, env: { ...process.env, ...parent, PATH: process.env.PATH } },
    );
    expect(r).toMatchObject({ ok: true, value: { secretLike: [], nodeOptions: false } });
  });
});

describe('exists op', () => {
  it('answers a batch in order, following links', async () => {
    const file = path.join(tmp, 'file.txt');
    await writeFile(file, 'x');
    await symlink(file, path.join(tmp, 'good-link'));
    await symlink(path.join(tmp, 'gone'), path.join(tmp, 'broken-link'));
    await symlink('loop-b', path.join(tmp, 'loop-a'));
    await symlink('loop-a', path.join(tmp, 'loop-b'));
    const paths = [
      file,
      path.join(tmp, 'good-link'),
      path.join(tmp, 'broken-link'),
      path.join(tmp, 'nope'),
      path.join(file, 'under-a-file'),
      path.join(tmp, 'loop-a'),
      tmp,
    ];
    // A link loop (ELOOP) leads nowhere: missing, like ENOENT and ENOTDIR (issue 12 item 14).
    const r = await runGuarded<ExistsState[]>({ op: 'exists', paths }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({
      ok: true,
      value: ['exists', 'exists', 'missing', 'missing', 'missing', 'missing', 'exists'],
    });
  });

  it('takes batches too big for one command-line argument (op goes on stdin)', async () => {
    const paths = Array.from({ length: 3000 }, (_, i) => path.join(tmp, `${'long-name-'.repeat(8)}${i}`));
    const r = await runGuarded<ExistsState[]>({ op: 'exists', paths }, { timeoutMs: 20_000 });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value).toHaveLength(3000);
      expect(new Set(r.value)).toEqual(new Set(['missing']));
    }
  });
});

describe('scan-abs-links op', () => {
  it('finds absolute links up to depth, ignores relative ones, never follows links', async () => {
    const root = path.join(tmp, 'vault');
    await mkdir(path.join(root, 'video/input/CH01_a/deep/deeper'), { recursive: true });
    await mkdir(path.join(root, 'audio'), { recursive: true });
    await mkdir(path.join(root, 'elsewhere'), { recursive: true });
    await symlink('/Users/dd/mounts/x/CH01', path.join(root, 'video/input/abs1'));
    await symlink('../../elsewhere', path.join(root, 'video/input/rel1'));
    await symlink('/abs/two', path.join(root, 'video/input/CH01_a/abs2'));
    await symlink('/abs/too-deep', path.join(root, 'video/input/CH01_a/deep/deeper/abs3'));
    // a link to a directory holding an absolute link: must not be followed
    await symlink('/abs/inside-elsewhere', path.join(root, 'elsewhere/abs-not-reached'));
    await symlink('/abs/final', path.join(root, 'audio/final'));

    const r = await runGuarded<ScanAbsLinksResult>(
      { op: 'scan-abs-links', root, dirs: ['video/input', 'audio/final', 'missing', '../escape'], depth: 2 },
      { timeoutMs: 10_000 },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.links).toEqual([
      { path: 'audio/final', target: '/abs/final' },
      { path: 'video/input/CH01_a/abs2', target: '/abs/two' },
      { path: 'video/input/abs1', target: '/Users/dd/mounts/x/CH01' },
    ]);
    // video/input: abs1, rel1, CH01_a; CH01_a: abs2, deep; audio/final itself
    expect(r.value.scanned).toBe(6);
    expect(r.value.errors.map((e) => e.path)).toEqual(['missing', '../escape']);
    expect(r.value.errors[1]?.error).toMatch(/refused/);

    const deep = await runGuarded<ScanAbsLinksResult>(
      { op: 'scan-abs-links', root, dirs: ['video'], depth: 10 },
      { timeoutMs: 10_000 },
    );
    expect(deep.ok && deep.value.links.map((l) => l.target)).toEqual([
      '/abs/two',
      '/abs/too-deep',
      '/Users/dd/mounts/x/CH01',
    ]);
  });
});

describe('list-dir op', () => {
  it('lists entry names sorted, and a missing directory is an error', async () => {
    const dir = path.join(tmp, 'listing');
    await mkdir(path.join(dir, 'sub'), { recursive: true });
    await writeFile(path.join(dir, 'CH02.csv'), '');
    await writeFile(path.join(dir, 'CH01.csv'), '');
    await symlink('/nowhere', path.join(dir, 'dangling'));
    const r = await runGuarded<string[]>({ op: 'list-dir', path: dir }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ ok: true, value: ['CH01.csv', 'CH02.csv', 'dangling', 'sub'] });
    const missing = await runGuarded<string[]>({ op: 'list-dir', path: path.join(dir, 'nope') }, { timeoutMs: 10_000 });
    expect(missing).toMatchObject({ ok: false, reason: 'error', message: expect.stringContaining('ENOENT') });
  });
});

describe('read-text op', () => {
  it('reads each file, reports missing ones and refuses files over 16 MiB', async () => {
    const a = path.join(tmp, 'a.json');
    await writeFile(a, '{"日本語":1}\n');
    const big = path.join(tmp, 'big.bin');
    await writeFile(big, '');
    await truncate(big, 16 * 1024 * 1024 + 1);
    const exact = path.join(tmp, 'exact.bin');
    await writeFile(exact, '');
    await truncate(exact, 16 * 1024 * 1024);
    const r = await runGuarded<ReadTextResult[]>(
      { op: 'read-text', paths: [a, path.join(tmp, 'missing.json'), big, exact] },
      { timeoutMs: 20_000 },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [ra, rm_, rbig, rexact] = r.value;
    expect(ra).toEqual({ path: a, ok: true, text: '{"日本語":1}\n' });
    expect(rm_).toMatchObject({ ok: false, error: expect.stringMatching(/^ENOENT/) });
    expect(rbig).toMatchObject({ ok: false, error: expect.stringContaining('cap') });
    expect(rexact?.ok && rexact.text.length).toBe(16 * 1024 * 1024);
  });
});

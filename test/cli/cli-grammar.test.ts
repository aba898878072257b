// The terminal's front door: --help and --version, --yes documented, --run-id alone a usage error, "did you
// mean" for misspelt commands, sub-words and options, and store paths read from the current folder when it is
// inside the workspace (errors name the path tried).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { helpText, parseCommandLine } from '../../jobs/grammar.js';
import { json, ytm } from '../jobs/support/run.js';
import { type MiniWorkspace, miniWorkspace } from '../jobs/support/workspace.js';

const env = { PATH: process.env.PATH ?? '', YTM_ENV_FILE: '/nonexistent/.env' };

describe('help and version', () => {
  it('`ytm --help` and `ytm -h` print the help (exit 0)', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await ytm([flag], env);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Commands:');
      expect(r.stdout).toContain('--yes');
    }
  });

  it('`ytm --version` prints the package version', async () => {
    const r = await ytm(['--version'], env);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^ytm-ops \d+\.\d+\.\d+ \(node v\d+/);
  });

  it('every mutating command help names --yes', () => {
    expect(helpText('store')).toContain('--yes answers yes');
    expect(helpText('outbox')).toContain('--yes');
  });
});

describe('usage errors say what to do', () => {
  it('--run-id without --include-remotion is a usage error (exit 64), not ignored', async () => {
    const r = await ytm(['store', '--episode', 'CH02-044', '--run-id', 'CH02-044_v1'], env);
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toContain('--run-id only chooses the run for --include-remotion');
  });

  it('`outbox flsh` suggests the corrected line', async () => {
    const r = await ytm(['outbox', 'flsh', '--run'], env);
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toContain('Did you mean `ytm outbox flush --run`?');
  });

  it('unknown commands and options get "did you mean"', () => {
    expect(parseCommandLine(['stroe', 'x'])).toMatchObject({ ok: false, suggestion: 'store' });
    expect(parseCommandLine(['store', 'x', '--symlnk-back'])).toMatchObject({
      ok: false,
      suggestion: 'store x --symlink-back',
    });
    // Nothing near enough: no guess.
    const far = parseCommandLine(['outbox', 'zzzzzzzz']);
    expect(far.ok).toBe(false);
    expect(far.ok ? undefined : far.suggestion).toBeUndefined();
  });
});

describe('store paths from the current folder', () => {
  let w: MiniWorkspace;
  beforeEach(() => {
    w = miniWorkspace();
  });
  afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

  it('a file name typed inside audio/final/CH02/044 is that file', async () => {
    const cwd = path.join(w.ws, 'audio/final/CH02/044');
    const r = await ytm(['store', 'CH02-044.wav', '--json'], w.env, { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const out = json<{ plan: { input: { path: string }; actions: { destRel: string }[] } }>(r);
    expect(out.plan.input.path).toBe('audio/final/CH02/044/CH02-044.wav');
    expect(out.plan.actions[0]?.destRel).toBe('audio_final/CH02/044/CH02-044.wav');
  });

  it('a missing file is refused naming the path tried', async () => {
    const cwd = path.join(w.ws, 'audio/final/CH02/044');
    const r = await ytm(['store', 'CH02-099.wav', '--json'], w.env, { cwd });
    expect(r.exitCode).toBe(2);
    const message = json<{ plan: { refusals: { message: string }[] } }>(r).plan.refusals[0]?.message;
    expect(message).toContain(`(looked for ${path.join(w.ws, 'audio/final/CH02/044/CH02-099.wav')})`);
  });

  it('outside the workspace, relative paths stay relative to the workspace root', async () => {
    const r = await ytm(['store', 'audio/final/CH02/044/CH02-044.wav', '--json'], w.env, { cwd: w.dir });
    expect(r.exitCode, r.stderr).toBe(0);
  });
});

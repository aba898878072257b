// Bad input: each refusal is its own test, through the real `ytm` child process. Nothing may be executed:
// the share stays empty, no plan is stored, and the answer names what was wrong.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planJob } from '../../jobs/engine/plan.js';
import { storeJob } from '../../jobs/store/job.js';
import { readAudit } from '../../lib/audit/log.js';
import { contextFor, storeInput } from './support/engine.js';
import { filesUnder } from './support/files.js';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace, sha256Of, writeFile } from './support/workspace.js';

let w: MiniWorkspace;
beforeEach(() => {
  w = miniWorkspace();
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

function assertNothingExecuted(): void {
  expect(filesUnder(w.base)).toEqual([]);
  expect(filesUnder(w.outbox)).toEqual([]);
  expect(filesUnder(path.join(w.state, 'plans'))).toEqual([]);
  expect(filesUnder(path.join(w.state, 'journal'))).toEqual([]);
}

async function refusal(args: string[]): Promise<{ code: string; message: string }[]> {
  const r = await ytm([...args, '--run', '--json'], w.env);
  expect(r.exitCode, r.stderr).toBe(2);
  const out = json<{ plan: { refusals: { code: string; message: string }[] } }>(r);
  assertNothingExecuted();
  return out.plan.refusals;
}

describe('store refuses bad paths (exit 2, nothing executed)', () => {
  it('an absolute path outside the workspace', async () => {
    const outside = writeFile(path.join(w.dir, 'elsewhere', 'x.wav'), 'data');
    const refusals = await refusal(['store', outside]);
    expect(refusals[0]?.code).toBe('PATH_OUTSIDE_WORKSPACE');
    expect(refusals[0]?.message).toContain('not inside the root');
    const audit = await readAudit(w.state);
    expect(audit.map((e) => e.kind)).toContain('job.refused');
  });

  it('a relative path climbing out with ..', async () => {
    writeFile(path.join(w.repo, 'secret.wav'), 'data');
    const refusals = await refusal(['store', 'audio/../../secret.wav']);
    expect(refusals[0]?.code).toBe('PATH_OUTSIDE_WORKSPACE');
    expect(refusals[0]?.message).toContain('resolves to');
  });

  it('a symlinked folder leading out of the workspace', async () => {
    const outsideDir = path.join(w.dir, 'outside');
    writeFile(path.join(outsideDir, 'loot.wav'), 'data');
    symlinkSync(outsideDir, path.join(w.ws, 'escape'));
    const refusals = await refusal(['store', 'escape/loot.wav']);
    expect(refusals[0]?.code).toBe('PATH_OUTSIDE_WORKSPACE');
    expect(refusals[0]?.message).toContain('a symlink leads to');
  });

  it('a file symlink pointing out of the workspace is not followed', async () => {
    const target = writeFile(path.join(w.dir, 'outside', 'passwd'), 'root:x:0:0');
    symlinkSync(target, path.join(w.ws, 'evil.wav'));
    const refusals = await refusal(['store', 'evil.wav']);
    expect(refusals[0]?.code).toBe('SOURCE_NOT_FILE');
    expect(refusals[0]?.message).toContain('is a symlink');
  });

  it('a missing file', async () => {
    const refusals = await refusal(['store', 'audio/final/CH02/043/nope.wav']);
    expect(refusals[0]?.code).toBe('SOURCE_MISSING');
  });

  it('a symlink loop on the way is refused by name, not a crash', async () => {
    symlinkSync('loop', path.join(w.ws, 'loop'));
    const refusals = await refusal(['store', 'loop/x.wav']);
    expect(refusals[0]?.code).toBe('PATH_UNRESOLVABLE');
    expect(refusals[0]?.message).toContain('"loop/x.wav"');
  });

  it('--move of a thumbnail or a video run file (archived, never deleted)', async () => {
    for (const rel of ['thumbnails/assets/CH02/043/00_thumb.png', 'video/runs/CH02-043_v1/remotion/output/final.mp4']) {
      writeFile(path.join(w.ws, rel), 'image-or-video');
      const refusals = await refusal(['store', rel, '--episode', 'CH02-043', '--move']);
      expect(refusals[0]?.code).toBe('ARCHIVE_ONLY');
      expect(refusals[0]?.message).toContain('--symlink-back');
    }
  });

  it('a directory', async () => {
    const refusals = await refusal(['store', 'audio/final/CH02/043']);
    expect(refusals[0]?.code).toBe('SOURCE_NOT_FILE');
  });

  it('the share is down and the outbox root does not exist: refused, and the outbox is not created', async () => {
    rmSync(w.outbox, { recursive: true });
    writeFileSync(path.join(w.share, 'README_MOUNTPOINT.txt'), 'offline');
    const refusals = await refusal(['store', 'audio/final/CH02/043/CH02-043.wav']);
    expect(refusals.map((r) => r.code)).toEqual(['OUTBOX_MISSING']);
    expect(refusals[0]?.message).toContain(w.outbox);
    expect(existsSync(w.outbox)).toBe(false);
  });

  it('a NUL byte in the path (cannot pass through argv, so through the job itself)', async () => {
    const ctx = contextFor(w.env);
    const { plan } = await planJob(storeJob, storeInput({ path: 'audio/final/CH02/043/CH02-043.wav\0/../../x' }), ctx);
    expect(plan.refusals[0]?.code).toBe('PATH_OUTSIDE_WORKSPACE');
    expect(plan.refusals[0]?.message).toContain('NUL');
    expect(plan.actions).toEqual([]);
    assertNothingExecuted();
  });
});

describe('shell metacharacters are only characters', () => {
  it('stores a file literally named `a;rm -rf x$(y).wav` and nothing else happens', async () => {
    const name = 'a;rm -rf x$(y).wav';
    const src = writeFile(path.join(w.ws, 'misc', name), 'payload; $(touch pwned) `id` | & > <');
    const cwd = mkdtempSync(path.join(tmpdir(), 'ytm-cwd-'));
    mkdirSync(path.join(cwd, 'x'));
    writeFileSync(path.join(cwd, 'x', 'canary'), 'still here');
    writeFileSync(path.join(cwd, 'y'), 'y');
    try {
      const env = { ...w.env };
      const r = await ytm(['store', `misc/${name}`, '--run', '--json'], env, { cwd });
      expect(r.exitCode, r.stderr).toBe(0);
      const dest = path.join(w.base, 'misc', name);
      expect(sha256Of(dest)).toBe(sha256Of(src));
      const stored = filesUnder(w.base).filter((f) => !f.startsWith('manifests/'));
      expect(stored).toEqual([`misc/${name}`]);
      expect(readdirSync(cwd).sort()).toEqual(['x', 'y']);
      expect(readdirSync(path.join(cwd, 'x'))).toEqual(['canary']);
      expect(filesUnder(w.ws).filter((f) => f.includes('pwned'))).toEqual([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('usage errors (exit 64, nothing executed)', () => {
  const cases: [string, string[], string][] = [
    [
      'unknown kind',
      ['store', 'audio/final/CH02/043/CH02-043.wav', '--kind', 'manifests'],
      'unknown kind; accepted: scripts',
    ],
    ['kind with shell characters', ['store', 'x.wav', '--kind', 'misc;rm'], 'unknown kind'],
    ['malformed episode id', ['store', '--episode', 'CH2-43x'], 'expected an episode id like CH02-043'],
    ['episode id with a command', ['store', '--episode', 'CH02-043;ls'], 'expected an episode id like CH02-043'],
    ['empty episode id', ['store', '--episode', ''], 'expected an episode id like CH02-043'],
    ['neither path nor episode', ['store'], 'give a <path> or --episode'],
    ['--symlink-back with --move', ['store', 'x.wav', '--symlink-back', '--move'], 'cannot be combined'],
    ['--include-remotion without --run-id', ['store', '--episode', 'CH02-043', '--include-remotion'], 'needs --run-id'],
    ['--move in the episode form', ['store', '--episode', 'CH02-043', '--move'], 'file form'],
    ['unknown flag', ['store', 'x.wav', '--force'], "Unknown option '--force'"],
    ['bad run id', ['store', '--episode', 'CH02-043', '--include-remotion', '--run-id', '../x'], 'expected a run id'],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await ytm([...args, '--run'], w.env);
      expect(r.exitCode).toBe(64);
      expect(r.stderr).toContain(message);
      assertNothingExecuted();
    });
  }
});

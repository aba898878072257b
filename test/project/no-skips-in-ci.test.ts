// The suite's reporter fails a CI=true run in which any test was skipped or left todo, and names each one.
// vitest runs as a child on a fixture file that the suite's own include pattern leaves out.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VITEST = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const CONFIG = 'test/project/fixtures/skips.vitest.config.ts';

async function runFixture(ci: boolean, extra: string[] = []) {
  // This run's own vitest and CI variables stay out of the child.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'CI' && !k.startsWith('VITEST') && k !== 'TEST'),
  );
  const r = await execa(process.execPath, [VITEST, 'run', '--config', CONFIG, ...extra], {
    cwd: ROOT,
    env: { ...env, NO_COLOR: '1', ...(ci ? { CI: 'true' } : {}) },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  return { exitCode: r.exitCode, out: `${r.stdout}\n${r.stderr}` };
}

describe('skipped tests under CI=true', () => {
  it('fail the run and are each named (skipIf, todo, ctx.skip)', { timeout: 120_000 }, async () => {
    const r = await runFixture(true);
    expect(r.exitCode).not.toBe(0);
    expect(r.out).toContain('CI=true: 3 test(s) did not run');
    for (const name of [
      'needs a FUSE mount (skipped)',
      'is not written yet (todo)',
      'skips itself at run time (no /dev/fuse here)',
    ])
      expect(r.out).toContain(`test/project/fixtures/skips.fixture.ts > ${name}`);
  });

  it('do not fail a run without CI', { timeout: 120_000 }, async () => {
    const r = await runFixture(false);
    expect(r.exitCode).toBe(0);
    expect(r.out).not.toContain('did not run');
  });

  it('do not count tests left out by -t under CI', { timeout: 120_000 }, async () => {
    const r = await runFixture(true, ['-t', '^runs$']);
    expect(r.exitCode).toBe(0);
    expect(r.out).toContain('1 passed');
  });
});

// The bot's job children are capped per kind and in total: a request over a limit starts nothing and says
// "busy"; a doctor request while one runs shares that child; an argument the OS refuses (NUL) is an outcome,
// not an exception that would leave the user with nothing but "planning…".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobControl, type JobLimits, type JobStart } from '../../bot/job-control.js';
import { compiledEntry } from '../../lib/guard/entry.js';
import { createLogger } from '../../lib/log.js';

let dir: string;
let release: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ytm-jobs-'));
  release = path.join(dir, 'go');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function control(limits: JobLimits): JobControl {
  return new JobControl(
    createLogger({ level: 'silent', name: 'test' }),
    compiledEntry('test/bot/support/hold-child.js'),
    { PATH: process.env.PATH ?? '/usr/bin:/bin', HOLD_FILE: release },
    limits,
  );
}

const req = (...args: string[]) => ({ args, timeoutMs: 30_000 });
const started = (s: JobStart) => s.pid !== undefined && !s.busy;

describe('JobControl limits', () => {
  it('refuses a job over the per-kind and the total limit, naming the setting; a finished job frees its place', async () => {
    const jobs = control({ total: 3, perKind: 1 });
    const first = jobs.run(req('doctor'));
    const secondDoctor = jobs.run(req('doctor'));
    const store = jobs.run(req('store', '--episode', 'CH01-001'));
    const outbox = jobs.run(req('outbox'));
    const apply = jobs.run(req('apply', 'x'));
    expect([first, store, outbox].map(started)).toEqual([true, true, true]);
    expect(secondDoctor.pid).toBeUndefined();
    expect(secondDoctor.busy).toContain('YTM_SLACK_MAX_JOBS_PER_KIND=1');
    expect(apply.pid).toBeUndefined();
    expect(apply.busy).toContain('YTM_SLACK_MAX_JOBS=3');
    expect((await secondDoctor.done).status).toBe('cancelled');

    writeFileSync(release, '');
    const outcomes = await Promise.all([first, store, outbox].map((s) => s.done));
    expect(outcomes.map((o) => o.status)).toEqual(['exited', 'exited', 'exited']);
    const again = jobs.run(req('doctor'));
    expect(started(again)).toBe(true);
    expect((await again.done).result).toMatchObject({ args: ['doctor'] });
  });

  it('a reserved place counts until it is used or released', async () => {
    const jobs = control({ total: 4, perKind: 1 });
    const slot = jobs.reserve('apply');
    expect('busy' in slot).toBe(false);
    expect(jobs.reserve('apply')).toMatchObject({ busy: expect.stringContaining('`apply`') });
    if ('busy' in slot) return;
    slot.release();
    const next = jobs.reserve('apply');
    expect('busy' in next).toBe(false);
    if ('busy' in next) return;
    writeFileSync(release, '');
    const run = next.run(req('apply', 'y'));
    expect(started(run)).toBe(true);
    await run.done;
    expect('busy' in jobs.reserve('apply')).toBe(false);
  });

  it('runShared: requests for the same command while it runs share one child and its outcome', async () => {
    const jobs = control({ total: 4, perKind: 2 });
    const runs = [1, 2, 3, 4, 5].map(() => jobs.runShared(req('doctor', '--json', '--events')));
    expect(new Set(runs.map((r) => r.pid)).size).toBe(1);
    expect(runs.map((r) => r.shared === true)).toEqual([false, true, true, true, true]);
    writeFileSync(release, '');
    const outcomes = await Promise.all(runs.map((r) => r.done));
    for (const o of outcomes) expect(o.result).toMatchObject({ args: ['doctor', '--json', '--events'] });
    // Once it has finished, the next request starts a new child.
    const later = jobs.runShared(req('doctor', '--json', '--events'));
    expect(later.shared).toBeUndefined();
    expect(later.pid).not.toBe(runs[0]?.pid);
    await later.done;
  });

  it('an argument with a NUL byte ends as spawn_failed with the reason, it does not throw', async () => {
    const jobs = control({ total: 4, perKind: 2 });
    const start = jobs.run(req('store', '--episode', 'CH01-001\u0000'));
    const outcome = await start.done;
    expect(outcome.status).toBe('spawn_failed');
    expect(outcome.stderrTail).toContain('null bytes');
    // Its place was given back.
    writeFileSync(release, '');
    const both = [jobs.run(req('store')), jobs.run(req('store'))];
    expect(both.map(started)).toEqual([true, true]);
    await Promise.all(both.map((s) => s.done));
  });
});

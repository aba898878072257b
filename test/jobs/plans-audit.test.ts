// `ytm plans` and `ytm audit`: what is stored, in which state, and whether the audit chain verifies.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditFile } from '../../lib/audit/paths.js';
import { storedPlan, storeInput } from './support/engine.js';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace } from './support/workspace.js';

let w: MiniWorkspace;
beforeEach(() => {
  w = miniWorkspace();
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

describe('ytm plans', () => {
  it('lists every plan with state, short id, job, requester and expiry', async () => {
    const waiting = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }), { approve: false });
    expect((await ytm(['store', 'audio/final/CH02/043/CH02-043.wav', '--run'], w.env)).exitCode).toBe(0);
    const r = await ytm(['plans', '--json'], w.env);
    expect(r.exitCode).toBe(0);
    const { plans } = json<{ plans: { planId: string; state: string; requestedBy: string }[] }>(r);
    expect(plans).toHaveLength(2);
    const byState = Object.fromEntries(plans.map((p) => [p.state, p]));
    expect(byState.awaiting_approval).toMatchObject({
      planId: waiting.planId,
      shortId: waiting.planId.slice(0, 10),
      job: 'store',
      requestedBy: 'U0REQUESTER',
    });
    expect(byState.succeeded?.requestedBy).toMatch(/^terminal:/);
    const text = await ytm(['plans'], w.env);
    expect(text.stdout).toContain(waiting.planId.slice(0, 10));
    expect(text.stdout).toMatch(/awaiting_approval.*expires in/);
  });
});

describe('ytm audit', () => {
  it('shows entries and a verified chain; --since filters; a tampered line is reported (exit 1)', async () => {
    expect((await ytm(['store', 'audio/final/CH02/043/CH02-043.wav', '--run'], w.env)).exitCode).toBe(0);
    const r = await ytm(['audit', '--json'], w.env);
    expect(r.exitCode).toBe(0);
    const out = json<{ entries: { kind: string }[]; verification: { ok: boolean; lines: number } }>(r);
    expect(out.entries.map((e) => e.kind)).toEqual([
      'job.request',
      'job.plan',
      'plan.approved',
      'job.start',
      'job.result',
    ]);
    expect(out.verification).toEqual({ ok: true, lines: 5 });
    expect((await ytm(['audit'], w.env)).stdout).toContain('audit chain OK (5 line(s))');
    const future = json<{ entries: unknown[] }>(await ytm(['audit', '--since', '2999-01-01', '--json'], w.env));
    expect(future.entries).toEqual([]);

    const file = auditFile(w.state);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"job.start"', '"job.other"'));
    const broken = await ytm(['audit'], w.env);
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toContain('audit chain BROKEN at line 4');
  });

  it('rejects a --since that is not a date (exit 64)', async () => {
    const r = await ytm(['audit', '--since', 'yesterday-ish'], w.env);
    expect(r.exitCode).toBe(64);
    expect(path.basename(r.stderr)).toContain('expected a date');
  });
});

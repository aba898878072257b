// `ytm plans` and `ytm audit`: what is stored, in which state, and whether the audit chain verifies.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../lib/audit/log.js';
import { auditFile, auditHeadFile } from '../../lib/audit/paths.js';
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
    expect(out.verification).toMatchObject({ ok: true, lines: 5, problems: [] });
    expect((await ytm(['audit'], w.env)).stdout).toContain('audit chain OK (5 line(s); holds seq 4 as recorded in');
    const future = json<{ entries: unknown[] }>(await ytm(['audit', '--since', '2999-01-01', '--json'], w.env));
    expect(future.entries).toEqual([]);

    const file = auditFile(w.state);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"job.start"', '"job.other"'));
    const broken = await ytm(['audit'], w.env);
    expect(broken.exitCode).toBe(1);
    // The verdict stays with the listing on stdout.
    expect(broken.stdout).toContain('audit chain BROKEN: 1 problem(s)');
    expect(broken.stdout).toContain('line 4 (seq 4): hash does not match the line content (edited)');
    expect(broken.stdout).toContain('job.request');
  });

  it('prints one line per entry with time, actor, kind, short plan id and the whole reason', async () => {
    const reason = `declined: ${'x'.repeat(400)} end-of-reason`;
    await appendAudit(w.state, { kind: 'job.refused', actor: 'U0ME', planId: 'c'.repeat(64), data: { reason } });
    const r = await ytm(['audit'], w.env);
    expect(r.exitCode).toBe(0);
    const line = r.stdout.split('\n')[0] as string;
    expect(line).toMatch(
      /^\d{4}-\d\d-\d\dT\S+ {2}#1 {2}U0ME {2}job\.refused {2}plan cccccccccc {2}declined: x+ end-of-reason$/,
    );
  });

  it('a log cut short or deleted, with head.json rewritten to match, is caught by the anchor in the newest report', async () => {
    expect((await ytm(['store', 'audio/final/CH02/043/CH02-043.wav', '--run'], w.env)).exitCode).toBe(0);
    const doctor = await ytm(['doctor', '--json'], w.env);
    const doctorReport = json<{ reportPath: string }>(doctor).reportPath;
    const anchor = JSON.parse(readFileSync(doctorReport, 'utf8')).auditHead as { seq: number; hash: string };
    expect(anchor.seq).toBe(5);
    expect((await ytm(['audit'], w.env)).exitCode).toBe(0);

    const file = auditFile(w.state);
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(0, 3);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const last = JSON.parse(lines[2] as string) as { seq: number; hash: string };
    writeFileSync(auditHeadFile(w.state), JSON.stringify({ seq: last.seq, hash: last.hash }));
    const cut = await ytm(['audit'], w.env);
    expect(cut.exitCode).toBe(1);
    expect(cut.stdout).toContain(
      `log ends at seq 3 but ${doctorReport} recorded seq 5: the log was truncated or deleted`,
    );

    rmSync(path.dirname(file), { recursive: true });
    const deleted = await ytm(['audit', '--json'], w.env);
    expect(deleted.exitCode).toBe(1);
    const v = json<{ verification: { ok: boolean; problems: { reason: string }[] } }>(deleted).verification;
    expect(v.problems.map((p) => p.reason)).toEqual([
      `log ends at seq 0 but ${doctorReport} recorded seq 5: the log was truncated or deleted`,
    ]);
  });

  it('rejects a --since that is not a date (exit 64)', async () => {
    const r = await ytm(['audit', '--since', 'yesterday-ish'], w.env);
    expect(r.exitCode).toBe(64);
    expect(path.basename(r.stderr)).toContain('expected a date');
  });
});

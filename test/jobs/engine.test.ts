// The executor: a stored plan runs only when approved, only once, and only if nothing it relied on changed.
// Applies go through the real `ytm apply <planId>` child (what the bot runs after an approval).

import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookupJob } from '../../jobs/apply/registry.js';
import { applyStoredPlan } from '../../jobs/engine/apply.js';
import { appendJournal, describeInterrupted, readJournal } from '../../jobs/engine/journal.js';
import { recoverInterrupted } from '../../jobs/engine/recover.js';
import { expireDue, getPlan, transition } from '../../lib/approvals/store.js';
import { readAudit } from '../../lib/audit/log.js';
import { storedPlan, storeInput } from './support/engine.js';
import { filesUnder } from './support/files.js';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace, sha256Of } from './support/workspace.js';

let w: MiniWorkspace;
beforeEach(() => {
  w = miniWorkspace();
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

const WAV = 'audio/final/CH02/044/CH02-044.wav';
const stored = () => filesUnder(w.base).filter((f) => !f.startsWith('manifests/'));

async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', '']);
  const pid = p.pid as number;
  await new Promise((r) => p.on('exit', r));
  return pid;
}

describe('apply runs an approved plan exactly once', () => {
  it('applies through `ytm apply`, with NDJSON events ending in the result', async () => {
    const { planId } = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }));
    const r = await ytm(['apply', planId, '--events'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    expect(events.slice(0, -1).every((e) => e.type === 'progress')).toBe(true);
    expect(events.filter((e) => e.stage === 'action')).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: 'result', exitCode: 0, data: { state: 'succeeded', planId } });
    expect((await getPlan(w.state, planId))?.state).toBe('succeeded');
    const journal = await readJournal(w.state, planId);
    expect(journal.map((l) => l.t)).toEqual(['start', 'begin', 'end', 'begin', 'end', 'begin', 'end', 'finish']);
  });

  it('two concurrent applies of the same plan: one runs, the other does nothing and says why', async () => {
    const { planId } = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }));
    const [a, b] = await Promise.all([
      ytm(['apply', planId, '--json'], w.env),
      ytm(['apply', planId, '--json'], w.env),
    ]);
    const codes = [a.exitCode, b.exitCode].sort();
    expect(codes).toEqual([0, 2]);
    const loser = json<{ state: string; reason: string }>(a.exitCode === 2 ? a : b);
    expect(loser.state).toBe('refused');
    expect(loser.reason).toMatch(/already (running|ran)/);
    expect(manifestsCount()).toBe(3);

    const third = await ytm(['apply', planId], w.env);
    expect(third.exitCode).toBe(2);
    expect(third.stderr).toContain('it already ran (succeeded); a plan runs at most once');
    expect(manifestsCount()).toBe(3);
    const refusedAudit = (await readAudit(w.state)).filter((e) => e.planId === planId && e.kind === 'job.refused');
    expect(refusedAudit).toHaveLength(2);
  });

  it('a plan that was never approved is not applied', async () => {
    const { planId } = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }), { approve: false });
    const r = await ytm(['apply', planId], w.env);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('it has not been approved yet');
    expect(stored()).toEqual([]);
  });

  it('an expired plan is not applied (approval after the TTL, and approved-but-never-started)', async () => {
    const late = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }), { approve: false, ttlMs: 1 });
    await new Promise((r) => setTimeout(r, 5));
    const { recordApproval } = await import('../../lib/approvals/store.js');
    const vote = await recordApproval(w.state, late.planId, { user: 'U0APPROVER', needed: 1 });
    expect(vote.ok).toBe(false);
    expect((await ytm(['apply', late.planId], w.env)).stderr).toContain('it expired');

    const idle = await storedPlan(w.env, storeInput({ path: WAV }));
    await expireDue(w.state, new Date(Date.now() + 3_600_000));
    const r = await ytm(['apply', idle.planId], w.env);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('it expired');
    expect(stored()).toEqual([]);
  });

  it('a cancelled plan is not applied', async () => {
    const { planId } = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }));
    expect((await transition(w.state, planId, { from: 'approved', to: 'cancelled', by: 'U0REQUESTER' })).ok).toBe(true);
    const r = await ytm(['apply', planId], w.env);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('it was cancelled');
    expect(stored()).toEqual([]);
  });

  it('usage: a missing or malformed plan id is exit 64, an unknown one exit 2', async () => {
    expect((await ytm(['apply'], w.env)).exitCode).toBe(64);
    expect((await ytm(['apply', '../../etc/passwd'], w.env)).exitCode).toBe(64);
    const unknown = await ytm(['apply', 'a'.repeat(64)], w.env);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('no such plan');
  });
});

function manifestsCount(): number {
  return filesUnder(path.join(w.base, 'manifests', 'shared_sync')).length;
}

describe('stale plans are refused, nothing executed', () => {
  it('the share turned into a stub between plan and apply', async () => {
    const { planId } = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }));
    writeFileSync(path.join(w.share, 'README_MOUNTPOINT.txt'), 'offline');
    const r = await ytm(['apply', planId, '--json'], w.env);
    expect(r.exitCode).toBe(2);
    const out = json<{ state: string; staleKeys: string[]; reason: string }>(r);
    expect(out.state).toBe('stale');
    expect(out.staleKeys).toContain('share.state');
    expect(out.reason).toBe(
      'the plan is stale, nothing was done: the share is stub now (was up). Re-plan to see what would happen now.',
    );
    expect(stored()).toEqual([]);
    expect(filesUnder(w.outbox)).toEqual([]);
    const rec = await getPlan(w.state, planId);
    expect(rec?.state).toBe('stale');
    expect(rec?.history.at(-1)?.note).toContain('share.state');
    expect((await readAudit(w.state)).some((e) => e.planId === planId && e.kind === 'job.stale')).toBe(true);
  });

  it('the source changed between plan and apply', async () => {
    const { planId, ctx } = await storedPlan(w.env, storeInput({ path: WAV }));
    writeFileSync(path.join(w.ws, WAV), 'edited after the plan');
    const summary = await applyStoredPlan(w.state, planId, ctx, lookupJob);
    expect(summary.state).toBe('stale');
    expect(summary.exitCode).toBe(2);
    expect(summary.staleKeys).toEqual(expect.arrayContaining([`sources.${WAV}.sha256`, `sources.${WAV}.size`]));
    // People get it in words, once per file: no internal keys.
    expect(summary.reason).toBe(
      'the plan is stale, nothing was done: CH02-044.wav changed since the plan (64.0 KiB → 21 B). Re-plan to see what would happen now.',
    );
    expect(stored()).toEqual([]);
  });

  it('a different file appeared at the destination between plan and apply', async () => {
    const { planId, ctx } = await storedPlan(w.env, storeInput({ path: WAV }));
    const dest = path.join(w.base, 'audio_final/CH02/044/CH02-044.wav');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(dest), { recursive: true });
    writeFileSync(dest, 'other');
    const summary = await applyStoredPlan(w.state, planId, ctx, lookupJob);
    expect(summary.state).toBe('stale');
    expect(summary.staleKeys?.some((k) => k.startsWith('destinations.audio_final/CH02/044/CH02-044.wav'))).toBe(true);
    expect(summary.reason).toContain('CH02-044.wav on the destination appeared since the plan');
    expect(stored()).toEqual(['audio_final/CH02/044/CH02-044.wav']);
    expect(sha256Of(dest)).not.toBe(sha256Of(path.join(w.ws, WAV)));
  });
});

describe('crash recovery', () => {
  it('a running plan whose runner died becomes interrupted, and the journal says what was done', async () => {
    const { planId } = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }));
    const pid = await deadPid();
    await transition(w.state, planId, {
      from: 'approved',
      to: 'running',
      by: 'U0APPROVER',
      note: `pid ${pid} on ${hostname()}`,
    });
    const at = new Date().toISOString();
    await appendJournal(w.state, planId, { t: 'start', at, pid, host: hostname(), actions: 3, actor: 'U0APPROVER' });
    await appendJournal(w.state, planId, { t: 'begin', at, i: 0, label: 'copy script' });
    await appendJournal(w.state, planId, { t: 'end', at, i: 0, status: 'done', message: 'copied and verified' });
    await appendJournal(w.state, planId, { t: 'begin', at, i: 1, label: 'copy wav' });

    const d = await describeInterrupted(w.state, planId);
    expect(d.completed).toEqual([{ index: 0, label: 'copy script', status: 'done', message: 'copied and verified' }]);
    expect(d.inProgress).toEqual([{ index: 1, label: 'copy wav' }]);
    expect(d.notStarted).toEqual([2]);
    expect(d.text).toBe('1 of 3 action(s) completed; interrupted during: copy wav; 1 not started');

    const recovered = await recoverInterrupted(w.state);
    expect(recovered.map((r) => r.planId)).toEqual([planId]);
    const rec = await getPlan(w.state, planId);
    expect(rec?.state).toBe('interrupted');
    expect(rec?.result).toMatchObject({
      completed: [{ index: 0, status: 'done' }],
      inProgress: [{ index: 1 }],
      notStarted: [2],
    });
    expect((await readAudit(w.state)).some((e) => e.planId === planId && e.kind === 'job.interrupted')).toBe(true);
    const again = await ytm(['apply', planId], w.env);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('interrupted');
  });

  it('a running plan whose runner is alive on this host is left alone', async () => {
    const { planId } = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }));
    await transition(w.state, planId, { from: 'approved', to: 'running', note: `pid ${process.pid} on ${hostname()}` });
    expect(await recoverInterrupted(w.state)).toEqual([]);
    expect((await getPlan(w.state, planId))?.state).toBe('running');
  });
});

describe('cancellation', () => {
  it('SIGTERM during a copy: the run ends cancelled, nothing partial under a final name, no temp file left', async () => {
    const { randomBytes } = await import('node:crypto');
    const { writeFile } = await import('./support/workspace.js');
    writeFile(path.join(w.ws, 'misc', 'huge.bin'), randomBytes(256 * 1024 * 1024));
    const { planId } = await storedPlan(w.env, storeInput({ path: 'misc/huge.bin' }));
    const { YTM_ENTRY } = await import('./support/run.js');
    const child = spawn(process.execPath, [YTM_ENTRY, 'apply', planId, '--events'], {
      env: w.env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      out += String(d);
      if (!sent && out.includes('"stage":"copy"')) sent = child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(1);
    const result = JSON.parse(out.trim().split('\n').at(-1) as string) as { type: string; data: { state: string } };
    expect(result).toMatchObject({ type: 'result', data: { state: 'cancelled' } });
    expect((await getPlan(w.state, planId))?.state).toBe('cancelled');
    expect(filesUnder(w.base)).toEqual([]);
  }, 60_000);
});

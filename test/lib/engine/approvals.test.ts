import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordFile, recordLockFile } from '../../../lib/approvals/record.js';
import { canTransition, isTerminal, STATES, type State, TRANSITIONS } from '../../../lib/approvals/states.js';
import {
  expireDue,
  getPlan,
  listPlans,
  PlanIntegrityError,
  PlanRefusedError,
  patchRecord,
  recordApproval,
  savePlan,
  storeLockOptions,
  transition,
} from '../../../lib/approvals/store.js';
import { LockTimeoutError } from '../../../lib/locks/file-lock.js';
import { planId } from '../../../lib/plan/id.js';
import { type Child, deadPid, samplePlan, spawnChild, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const T0 = new Date('2026-01-26T10:00:00.000Z');
const HOUR = 3_600_000;

async function saved(over = {}, ttlMs = 30 * 60_000, now = T0) {
  const { record } = await savePlan(dir, samplePlan(over), { requestedBy: 'UREQ', ttlMs, now });
  return record.planId;
}

describe('transition table', () => {
  it('terminal states have no exits and every running outcome is reachable', () => {
    for (const s of ['succeeded', 'failed', 'partial', 'cancelled', 'expired', 'stale', 'interrupted'] as State[]) {
      expect(isTerminal(s)).toBe(true);
    }
    expect(TRANSITIONS.running).toEqual(expect.arrayContaining(['succeeded', 'failed', 'partial']));
    expect(canTransition('awaiting_approval', 'running')).toBe(false); // no running without approval
    expect(canTransition('awaiting_approval', 'approved')).toBe(true);
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...STATES].sort());
  });
});

describe('approval store', () => {
  it('savePlan stores an awaiting record with TTL and is idempotent for the same plan', async () => {
    const plan = samplePlan();
    const first = await savePlan(dir, plan, { requestedBy: 'UREQ', requestedIn: 'C1', ttlMs: HOUR, now: T0 });
    expect(first.created).toBe(true);
    expect(first.record).toMatchObject({
      planId: planId(plan),
      state: 'awaiting_approval',
      requestedBy: 'UREQ',
      requestedIn: 'C1',
      createdAt: T0.toISOString(),
      expiresAt: new Date(T0.getTime() + HOUR).toISOString(),
      approvals: [],
    });
    await transition(dir, first.record.planId, { from: 'awaiting_approval', to: 'approved', by: 'UAPP', now: T0 });
    const again = await savePlan(dir, plan, { requestedBy: 'UOTHER', ttlMs: 1, now: new Date() });
    expect(again.created).toBe(false);
    expect(again.record.state).toBe('approved'); // not reset to awaiting
    expect(again.record.requestedBy).toBe('UREQ');
    expect(await listPlans(dir)).toHaveLength(1);
  });

  it('refuses to submit a plan that has refusals', async () => {
    await expect(
      savePlan(dir, samplePlan({ refusals: [{ code: 'SHARE_DOWN', message: 'share is down' }] }), {
        requestedBy: 'U',
        ttlMs: HOUR,
      }),
    ).rejects.toThrow(PlanRefusedError);
    expect(await listPlans(dir)).toEqual([]);
  });

  it('walks the happy path and records history', async () => {
    const id = await saved();
    expect((await transition(dir, id, { from: 'awaiting_approval', to: 'approved', by: 'UAPP', now: T0 })).ok).toBe(
      true,
    );
    expect((await transition(dir, id, { from: 'approved', to: 'running', now: T0 })).ok).toBe(true);
    const done = await transition(dir, id, {
      from: 'running',
      to: 'succeeded',
      now: T0,
      patch: { result: { copied: 1, bytes: 1000 } },
      note: 'ok',
    });
    expect(done.ok).toBe(true);
    const rec = await getPlan(dir, id);
    expect(rec?.state).toBe('succeeded');
    expect(rec?.result).toEqual({ copied: 1, bytes: 1000 });
    expect(rec?.history.map((h) => [h.from, h.to])).toEqual([
      [null, 'awaiting_approval'],
      ['awaiting_approval', 'approved'],
      ['approved', 'running'],
      ['running', 'succeeded'],
    ]);
  });

  it('refuses illegal transitions and stale compare-and-sets without changing the record', async () => {
    const id = await saved();
    const skip = await transition(dir, id, { from: 'awaiting_approval', to: 'running' });
    expect(skip).toMatchObject({ ok: false, reason: 'illegal_transition' });
    const wrongFrom = await transition(dir, id, { from: 'approved', to: 'running' });
    expect(wrongFrom).toMatchObject({ ok: false, reason: 'state_mismatch' });
    expect(wrongFrom.ok ? undefined : wrongFrom.current?.state).toBe('awaiting_approval');

    await transition(dir, id, { from: 'awaiting_approval', to: 'cancelled', by: 'UREQ' });
    // cancelled is terminal: nothing can revive it, whatever `from` the caller claims
    for (const to of STATES) {
      const r = await transition(dir, id, { from: 'cancelled', to });
      expect(r).toMatchObject({ ok: false, reason: 'illegal_transition' });
    }
    expect((await getPlan(dir, id))?.history).toHaveLength(2);
    expect(await transition(dir, 'f'.repeat(64), { from: 'approved', to: 'running' })).toMatchObject({
      ok: false,
      reason: 'not_found',
    });
  });

  it('accepts a list of `from` states', async () => {
    const id = await saved();
    const r = await transition(dir, id, { from: ['approved', 'awaiting_approval'], to: 'cancelled' });
    expect(r.ok).toBe(true);
  });

  it('rejects ids that are not 64 hex chars (they become file names)', async () => {
    await expect(getPlan(dir, '../../etc/passwd')).rejects.toThrow(PlanIntegrityError);
    await expect(transition(dir, 'ABC', { from: 'approved', to: 'running' })).rejects.toThrow(PlanIntegrityError);
  });

  it('detects a stored plan that was edited after it was saved', async () => {
    const id = await saved();
    const file = recordFile(dir, id);
    const rec = JSON.parse(await readFile(file, 'utf8'));
    rec.plan.actions[0].to = '/somewhere/else';
    await writeFile(file, JSON.stringify(rec));
    await expect(getPlan(dir, id)).rejects.toThrow(/does not hash/);
    await expect(transition(dir, id, { from: 'awaiting_approval', to: 'approved' })).rejects.toThrow(
      PlanIntegrityError,
    );
    const invalid: string[] = [];
    expect(await listPlans(dir, { onInvalid: (pid) => invalid.push(pid) })).toEqual([]);
    expect(invalid).toEqual([id]);
  });

  it('expireDue expires awaiting and never-started approved plans past their TTL, and nothing else', async () => {
    const a = await saved({ summary: 'a' }, 10 * 60_000);
    const b = await saved({ summary: 'b' }, 10 * 60_000);
    const c = await saved({ summary: 'c' }, 60 * 60_000);
    const d = await saved({ summary: 'd' }, 10 * 60_000);
    await transition(dir, b, { from: 'awaiting_approval', to: 'approved', now: T0 });
    await transition(dir, d, { from: 'awaiting_approval', to: 'approved', now: T0 });
    await transition(dir, d, { from: 'approved', to: 'running', now: T0 });

    expect(await expireDue(dir, new Date(T0.getTime() + 9 * 60_000))).toEqual([]);
    const expired = await expireDue(dir, new Date(T0.getTime() + 10 * 60_000));
    expect(expired.map((r) => r.planId).sort()).toEqual([a, b].sort());
    expect((await getPlan(dir, c))?.state).toBe('awaiting_approval');
    expect((await getPlan(dir, d))?.state).toBe('running');
    expect(await listPlans(dir, { states: ['expired'] })).toHaveLength(2);
  });

  it('an approval that arrives after the TTL expires the plan instead (fail closed)', async () => {
    const id = await saved({}, 60_000);
    const late = new Date(T0.getTime() + 60_000);
    const r = await transition(dir, id, { from: 'awaiting_approval', to: 'approved', by: 'UAPP', now: late });
    expect(r).toMatchObject({ ok: false, reason: 'expired' });
    expect((await getPlan(dir, id))?.state).toBe('expired');
    const id2 = await saved({ summary: 'other' }, 60_000);
    expect(await recordApproval(dir, id2, { user: 'UAPP', needed: 1, now: late })).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('recordApproval: one vote per person, approved exactly when the needed count is reached', async () => {
    const id = await saved({ destructive: true });
    const v1 = await recordApproval(dir, id, { user: 'U1', needed: 2, now: T0 });
    expect(v1).toMatchObject({ ok: true, approved: false });
    expect(await recordApproval(dir, id, { user: 'U1', needed: 2, now: T0 })).toMatchObject({
      ok: false,
      reason: 'duplicate_vote',
    });
    const v2 = await recordApproval(dir, id, { user: 'U2', needed: 2, now: T0 });
    expect(v2).toMatchObject({ ok: true, approved: true });
    const rec = await getPlan(dir, id);
    expect(rec?.state).toBe('approved');
    expect(rec?.approvals.map((a) => a.user)).toEqual(['U1', 'U2']);
    expect(await recordApproval(dir, id, { user: 'U3', needed: 2, now: T0 })).toMatchObject({
      ok: false,
      reason: 'state_mismatch',
    });
  });

  it('patchRecord stores the Slack message ref without touching the state', async () => {
    const id = await saved();
    await patchRecord(dir, id, { slack: { channel: 'C1', ts: '1700000000.000100' } });
    const rec = await getPlan(dir, id);
    expect(rec?.slack).toEqual({ channel: 'C1', ts: '1700000000.000100' });
    expect(rec?.state).toBe('awaiting_approval');
  });

  describe('per-plan lock', () => {
    const saved0 = { ...storeLockOptions };
    afterAll(() => Object.assign(storeLockOptions, saved0));

    it('takes over a lock left by a dead process once it is older than staleMs', async () => {
      const id = await saved({}, HOUR, new Date());
      const at = new Date(Date.now() - 31_000).toISOString();
      const lock = { pid: await deadPid(), host: hostname(), at, token: 'dead' };
      await writeFile(recordLockFile(dir, id), JSON.stringify(lock));
      Object.assign(storeLockOptions, { staleMs: 30_000, timeoutMs: 2_000 });
      const r = await transition(dir, id, { from: 'awaiting_approval', to: 'approved' });
      expect(r.ok).toBe(true);
    });

    it('waits on (and does not steal) a lock whose holder is alive, even an old one', async () => {
      const id = await saved();
      const at = new Date(Date.now() - 120_000).toISOString();
      await writeFile(recordLockFile(dir, id), JSON.stringify({ pid: process.pid, host: hostname(), at, token: 'x' }));
      Object.assign(storeLockOptions, { staleMs: 30_000, timeoutMs: 300 });
      await expect(transition(dir, id, { from: 'awaiting_approval', to: 'approved' })).rejects.toThrow(
        LockTimeoutError,
      );
      expect((await getPlan(dir, id))?.state).toBe('awaiting_approval');
    });

    it('takes over an empty lock file (creator died before writing it) only once it is old', async () => {
      const id = await saved({}, HOUR, new Date());
      await writeFile(recordLockFile(dir, id), '');
      Object.assign(storeLockOptions, { staleMs: 30_000, timeoutMs: 300 });
      await expect(transition(dir, id, { from: 'awaiting_approval', to: 'cancelled' })).rejects.toThrow(
        LockTimeoutError,
      );
      const old = new Date(Date.now() - 60_000);
      await utimes(recordLockFile(dir, id), old, old);
      expect((await transition(dir, id, { from: 'awaiting_approval', to: 'cancelled' })).ok).toBe(true);
    });

    it('does not take over a dead process lock that is younger than staleMs', async () => {
      const id = await saved();
      const lock = { pid: await deadPid(), host: hostname(), at: new Date().toISOString(), token: 'dead' };
      await writeFile(recordLockFile(dir, id), JSON.stringify(lock));
      Object.assign(storeLockOptions, { staleMs: 30_000, timeoutMs: 300 });
      await expect(transition(dir, id, { from: 'awaiting_approval', to: 'approved' })).rejects.toThrow(
        LockTimeoutError,
      );
    });
  });
});

describe('compare-and-set across processes', () => {
  const ROUNDS = 20;
  let racers: Child[] = [];
  afterEach(async () => {
    for (const r of racers) r.proc.stdin.end();
    await Promise.all(racers.map((r) => r.exited));
    racers = [];
  });

  async function race(op: 'transition' | 'vote') {
    racers = [spawnChild('approve-racer.ts', [dir, 'UA']), spawnChild('approve-racer.ts', [dir, 'UB'])];
    for (const r of racers) expect(await r.next()).toBe('ready');
    const winners: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const id = await saved({ summary: `round ${round} ${op}` }, HOUR, new Date());
      for (const r of racers) r.send(`${op} ${id}`);
      const results = await Promise.all(racers.map(async (r) => JSON.parse(await r.next())));
      expect(results.map((x) => x.id)).toEqual([id, id]);
      const won = results.filter((x) => x.won);
      expect(won, JSON.stringify(results)).toHaveLength(1);
      const lost = results.find((x) => !x.won);
      expect(lost.reason).toBe('state_mismatch');
      const rec = await getPlan(dir, id);
      expect(rec?.state).toBe('approved');
      // exactly one approved transition in the history, by the winner
      const approvals = rec?.history.filter((h) => h.to === 'approved') ?? [];
      expect(approvals).toHaveLength(1);
      winners.push(approvals[0]?.by as string);
    }
    return winners;
  }

  it(`two processes approving the same plan: exactly one wins, ${ROUNDS} times (transition)`, async () => {
    const winners = await race('transition');
    expect(winners).toHaveLength(ROUNDS);
  });

  it(`two processes voting on the same plan: exactly one completes the approval, ${ROUNDS} times`, async () => {
    const winners = await race('vote');
    expect(winners).toHaveLength(ROUNDS);
  });
});

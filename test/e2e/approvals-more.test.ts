import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreAction } from '../../jobs/store/action.js';
import {
  APPROVER,
  applyStarts,
  auditKinds,
  bigFile,
  buttonsOf,
  type Card,
  cardText,
  clearSharedScripts,
  click,
  ephemeralFor,
  MiB,
  poll,
  postedEpisodes,
  readRecord,
  requestCard,
  sha256File,
  sha256Stream,
  wavOf,
} from './approvals-support.js';
import { ALLOWED_USER, isAlive, OPS_CHANNEL, type Rig, spawnBot, startRig, waitGone } from './harness.js';

const APPROVER2 = 'U0APPROVE2';
/** Posted episode 1: its WAV is made big enough to kill the apply mid-copy. */
const INTERRUPT_WAV_BYTES = 512 * MiB;
/** Posted episode 2: its WAV is made big enough for several seconds of progress events. */
const THROTTLE_WAV_BYTES = 1024 * MiB;

let rig: Rig;
let posted: string[];
const episode = (i: 0 | 1 | 2) => posted[i] as string;

beforeAll(async () => {
  rig = await startRig({
    prepare: async (ws) => {
      clearSharedScripts(ws);
      const [, second, third] = postedEpisodes(ws);
      bigFile(wavOf(ws, second as string), INTERRUPT_WAV_BYTES);
      bigFile(wavOf(ws, third as string), THROTTLE_WAV_BYTES);
    },
    extraEnv: {
      YTM_SLACK_ALLOWED_USERS: `${ALLOWED_USER},${APPROVER},${APPROVER2}`,
      YTM_SLACK_APPROVERS: `${APPROVER},${APPROVER2}`,
      YTM_DESTRUCTIVE_APPROVALS: '2',
    },
  });
  posted = postedEpisodes(rig.ws);
  expect(posted.length).toBeGreaterThanOrEqual(3);
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

const actionsOf = (planId: string) => readRecord(rig, planId).plan.actions as unknown as StoreAction[];

async function settled(card: Card, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return poll(`card to match ${pattern}`, () => (pattern.test(card.text()) ? card.text() : undefined), timeoutMs);
}

/** chat.update calls the bot made on this card, oldest first. */
const updatesOf = (card: Card) =>
  rig.emu.callsTo('chat.update').filter((c) => c.body.ts === card.ts && c.body.channel === OPS_CHANNEL);

describe('two approvals for a destructive plan (YTM_DESTRUCTIVE_APPROVALS=2)', () => {
  it('first vote is recorded and runs nothing; a repeat vote is "already approved"; the second approver runs it once', async () => {
    const ep = episode(0);
    const card = await requestCard(rig, `store --episode ${ep} --symlink-back`);
    const planId = card.planId as string;
    expect(planId).toMatch(/^[0-9a-f]{64}$/);
    expect(card.text()).toContain('It needs 2 distinct approvals');
    await poll('the card ref on the plan', () => readRecord(rig, planId).slack);
    const actions = actionsOf(planId);
    expect(actions.length).toBeGreaterThanOrEqual(2);
    // Only the WAV is linked back (scripts and subtitles stay in the workspace, per the store facts).
    const linked = actions.filter((a) => a.after === 'symlink-back');
    expect(linked.map((a) => a.src)).toEqual([wavOf(rig.ws, ep)]);
    const nothingRan = () => {
      expect(applyStarts(rig, planId)).toBe(0);
      for (const a of actions) {
        expect(existsSync(a.dest)).toBe(false);
        expect(lstatSync(a.src).isFile()).toBe(true);
      }
    };

    // First approver: recorded (1 of 2), the card stays approvable and says who approved so far.
    const first = click(rig, card, 'plan.approve', APPROVER);
    await rig.emu.waitForAck(first.envelopeId, 3000);
    expect(await ephemeralFor(rig, first.responseUrlId as string)).toContain('recorded (1 of 2)');
    const oneVote = await settled(card, /Approved so far by/);
    expect(oneVote).toContain(`Approved so far by <@${APPROVER}> (1 of 2)`);
    expect(buttonsOf(card.message()).map((b) => b.action_id)).toEqual(['plan.approve', 'plan.cancel']);
    expect(readRecord(rig, planId).state).toBe('awaiting_approval');
    expect(readRecord(rig, planId).approvals.map((a) => a.user)).toEqual([APPROVER]);
    await poll('the vote in the audit log', async () => (await auditKinds(rig, planId, 'plan.approval_vote')) === 1);
    nothingRan();

    // The same approver again: one vote per person, still nothing.
    const again = click(rig, card, 'plan.approve', APPROVER);
    await rig.emu.waitForAck(again.envelopeId, 3000);
    expect(await ephemeralFor(rig, again.responseUrlId as string)).toContain('already approved');
    expect(readRecord(rig, planId).state).toBe('awaiting_approval');
    expect(readRecord(rig, planId).approvals.length).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    nothingRan();

    // The second approver: the plan runs, once.
    const second = click(rig, card, 'plan.approve', APPROVER2);
    await rig.emu.waitForAck(second.envelopeId, 3000);
    const final = await settled(card, /Done/);
    expect(final).toContain('copied and verified');
    expect(applyStarts(rig, planId)).toBe(1);
    expect(await auditKinds(rig, planId, 'job.start')).toBe(1);
    expect(await auditKinds(rig, planId, 'plan.approved')).toBe(1);
    const rec = readRecord(rig, planId);
    expect(rec.state).toBe('succeeded');
    expect(rec.approvals.map((a) => a.user)).toEqual([APPROVER, APPROVER2]);
    const running = card
      .message()
      .history.map((h) => JSON.stringify(h))
      .find((h) => h.includes(`Approved by <@${APPROVER}> and <@${APPROVER2}>, running`));
    expect(running).toBeDefined();
    expect(buttonsOf(card.message())).toEqual([]);
    for (const a of actions) {
      expect(a.dest.startsWith(path.join(rig.ws.paths.sharedBase, ''))).toBe(true);
      expect(lstatSync(a.dest).isFile()).toBe(true);
      expect(sha256File(a.dest)).toBe(a.sha256);
      if (a.after === 'symlink-back') {
        // The source WAV became a link to the verified copy (and reads the same bytes through it).
        expect(lstatSync(a.src).isSymbolicLink()).toBe(true);
        expect(realpathSync(a.src)).toBe(realpathSync(a.dest));
      } else {
        expect(lstatSync(a.src).isFile()).toBe(true);
      }
      expect(sha256File(a.src)).toBe(a.sha256);
    }
    // A late third click changes nothing.
    const late = click(rig, card, 'plan.approve', APPROVER);
    expect(await ephemeralFor(rig, late.responseUrlId as string)).toContain('already approved');
    expect(applyStarts(rig, planId)).toBe(1);
    rig.emu.assertNoViolations();
  }, 40_000);
});

describe('outbox flush, approved end to end', () => {
  const manifestsDir = () => path.join(rig.ws.paths.sharedBase, 'manifests', 'shared_sync');
  const manifestNames = () => new Set(existsSync(manifestsDir()) ? readdirSync(manifestsDir()) : []);

  /** `/ytm outbox flush`, then the two approvals it needs (destructive: the outbox copies go). */
  async function flushApproved(expectState: 'succeeded' | 'partial') {
    const card = await requestCard(rig, 'outbox flush');
    const planId = card.planId as string;
    expect(card.text()).toContain('Plan: outbox · flush');
    const actions = actionsOf(planId);
    expect(actions.every((a) => a.after === 'move' && a.target.offline === false)).toBe(true);
    await poll('the card ref on the plan', () => readRecord(rig, planId).slack);
    const c1 = click(rig, card, 'plan.approve', APPROVER);
    expect(await ephemeralFor(rig, c1.responseUrlId as string)).toContain('recorded (1 of 2)');
    for (const a of actions) expect(existsSync(a.src)).toBe(true);
    expect(applyStarts(rig, planId)).toBe(0);
    const c2 = click(rig, card, 'plan.approve', APPROVER2);
    await rig.emu.waitForAck(c2.envelopeId, 3000);
    const final = await settled(card, expectState === 'succeeded' ? /Done/ : /Partly done/);
    expect(readRecord(rig, planId).state).toBe(expectState);
    expect(applyStarts(rig, planId)).toBe(1);
    return { actions, final };
  }

  it('an outbox copy stays while its share copy cannot be made; a flush then copies the rest, verified, with new manifests, and empties the outbox', async () => {
    const pending = rig.ws.details.outboxPending;
    expect(pending.length).toBeGreaterThanOrEqual(2);
    const hashes = new Map(pending.map((f) => [f, sha256File(f)]));
    const manifestsBefore = manifestNames();

    // First flush: one destination folder is blocked (a plain file where the folder should be) after the plan
    // was made, so those copies fail at apply time; their outbox copies must stay, the others must go.
    const card1 = await requestCard(rig, 'outbox flush');
    const plan1 = card1.planId as string;
    const planned = actionsOf(plan1);
    expect(planned.map((a) => a.src).sort()).toEqual([...pending].sort());
    const blockedDir = path.dirname(planned.find((a) => a.kind === 'audio_final')?.dest ?? '');
    expect(existsSync(blockedDir)).toBe(false);
    const blocked = planned.filter((a) => path.dirname(a.dest) === blockedDir);
    expect(blocked.length).toBeLessThan(planned.length);
    mkdirSync(path.dirname(blockedDir), { recursive: true });
    writeFileSync(blockedDir, 'not a folder\n');
    await poll('the card ref on the plan', () => readRecord(rig, plan1).slack);
    const v1 = click(rig, card1, 'plan.approve', APPROVER);
    expect(await ephemeralFor(rig, v1.responseUrlId as string)).toContain('recorded (1 of 2)');
    const v2 = click(rig, card1, 'plan.approve', APPROVER2);
    await rig.emu.waitForAck(v2.envelopeId, 3000);
    const partial = await settled(card1, /Partly done/);
    expect(partial).toContain('FAILED');
    expect(readRecord(rig, plan1).state).toBe('partial');
    for (const a of planned) {
      if (blocked.includes(a)) {
        expect(existsSync(a.src), `outbox copy of a failed copy stays: ${a.src}`).toBe(true);
        expect(sha256File(a.src)).toBe(hashes.get(a.src));
      } else {
        expect(existsSync(a.src), `outbox copy of a verified copy goes: ${a.src}`).toBe(false);
        expect(sha256File(a.dest)).toBe(hashes.get(a.src));
      }
    }
    rmSync(blockedDir);

    // Second flush: what is left goes through.
    const { actions } = await flushApproved('succeeded');
    expect(actions.map((a) => a.src).sort()).toEqual(blocked.map((a) => a.src).sort());

    const added = [...manifestNames()].filter((m) => !manifestsBefore.has(m));
    expect(added.length).toBe(pending.length);
    const manifests = added.map(
      (m) =>
        JSON.parse(readFileSync(path.join(manifestsDir(), m), 'utf8')) as {
          artifact: { dest: string; sha256: string };
          shared: { offline_fallback: boolean; effective_root: string };
        },
    );
    for (const a of planned) {
      expect(a.dest.startsWith(path.join(rig.ws.paths.sharedBase, ''))).toBe(true);
      expect(sha256File(a.dest)).toBe(hashes.get(a.src));
      expect(existsSync(a.src)).toBe(false);
      const m = manifests.find((x) => x.artifact.dest === a.dest);
      expect(m, `a new manifest for ${a.dest}`).toBeDefined();
      expect(m?.shared.offline_fallback).toBe(false);
      expect(m?.shared.effective_root).toBe(rig.ws.paths.share);
      expect(m?.artifact.sha256).toBe(hashes.get(a.src));
      expect(JSON.stringify(m)).toContain(a.src); // flushed_from names the outbox copy
    }
    rig.emu.assertNoViolations();
  }, 40_000);
});

describe('progress edits are throttled', () => {
  it('a long store edits the card at most every ~3 s while running, then the final card arrives last', async () => {
    const ep = episode(2);
    const card = await requestCard(rig, `store --episode ${ep}`);
    const planId = card.planId as string;
    await poll('the card ref on the plan', () => readRecord(rig, planId).slack);
    expect(actionsOf(planId).some((a) => a.size === THROTTLE_WAV_BYTES)).toBe(true);
    const c = click(rig, card, 'plan.approve', APPROVER);
    await rig.emu.waitForAck(c.envelopeId, 3000);
    const final = await settled(card, /Done/, 45_000);
    expect(final).toContain('copied and verified');
    expect(readRecord(rig, planId).state).toBe('succeeded');

    const updates = updatesOf(card);
    const texts = updates.map((u) => cardText({ text: u.body.text, blocks: u.body.blocks } as never));
    const progress = updates.filter((_, i) => texts[i]?.includes(':hourglass_flowing_sand:'));
    // The first update is "approved, running" (no progress), the last is the result.
    expect(texts[0]).toContain(`Approved by <@${APPROVER}>, running`);
    expect(texts[0]).not.toContain(':hourglass_flowing_sand:');
    expect(texts.at(-1)).toContain('Done');
    expect(updates.at(-1)).not.toBe(progress.at(-1));
    // How often is EditThrottle's business (test/bot/edit-throttle.test.ts, on a fake clock): no timings here.
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(texts.some((t) => /CH\d\d-\d{3}\.wav: [\d.]+ (MiB|GiB) of 1\.0 GiB/.test(t))).toBe(true);
    rig.emu.assertNoViolations();
  }, 60_000);
});

describe('a bot killed with its apply child mid-run', () => {
  it('the restarted bot marks the plan interrupted, says what was done on the card, and runs nothing again', async () => {
    const ep = episode(1);
    const card = await requestCard(rig, `store --episode ${ep}`);
    const planId = card.planId as string;
    await poll('the card ref on the plan', () => readRecord(rig, planId).slack);
    const actions = actionsOf(planId);
    const wav = actions.find((a) => a.src === wavOf(rig.ws, ep));
    expect(wav?.size).toBe(INTERRUPT_WAV_BYTES);
    const c = click(rig, card, 'plan.approve', APPROVER);
    await rig.emu.waitForAck(c.envelopeId, 3000);

    const started = await rig.bot.waitForLog(
      (l) => l.msg === 'job started' && Array.isArray(l.args) && l.args[0] === 'apply' && l.args[1] === planId,
      10_000,
    );
    const childPid = started.pid as number;
    expect(isAlive(childPid)).toBe(true);
    expect(readFileSync(`/proc/${childPid}/cmdline`, 'utf8')).toContain(planId);
    // Wait until the WAV copy is under way (a temp file beside its destination), then kill both.
    await poll(
      'the WAV copy to be under way',
      () =>
        readRecord(rig, planId).state === 'running' &&
        existsSync(path.dirname(wav?.dest as string)) &&
        readdirSync(path.dirname(wav?.dest as string)).some((f) => f !== path.basename(wav?.dest as string)),
      15_000,
    );
    const oldBot = rig.bot;
    process.kill(oldBot.pid, 'SIGKILL');
    process.kill(childPid, 'SIGKILL');
    expect(await waitGone(oldBot.pid)).toBe(true);
    expect(await waitGone(childPid)).toBe(true);
    await oldBot.exited();
    expect(readRecord(rig, planId).state).toBe('running');
    const updatesBefore = updatesOf(card).length;

    rig.bot = spawnBot(rig.env, rig.dir);
    await rig.bot.waitForLog((l) => l.msg === 'bot connected (Socket Mode)', 15_000);
    const text = await settled(card, /Interrupted/, 15_000);
    expect(updatesOf(card).length).toBeGreaterThan(updatesBefore);
    const rec = readRecord(rig, planId);
    expect(rec.state).toBe('interrupted');
    const result = rec.result as {
      description: string;
      completed: { index: number; status: string }[];
      inProgress: { index: number }[];
    };
    // The script (action 0) was copied; the WAV (action 1) was in progress; the card says so.
    expect(result.completed.map((x) => x.index)).toContain(0);
    expect(result.inProgress.map((x) => x.index)).toContain(actions.indexOf(wav as StoreAction));
    expect(text).toContain('What was done:');
    expect(text).toContain(result.description.slice(0, 40).replace(/"/g, '\\"'));
    expect(text).toContain('not run again automatically');
    expect(buttonsOf(card.message())).toEqual([]);
    expect(await auditKinds(rig, planId, 'job.interrupted')).toBe(1);

    // Nothing runs again by itself, and no partial file sits under the WAV's final name; the source is intact.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(rig.bot.lines.some((l) => l.msg === 'job started')).toBe(false);
    expect(readRecord(rig, planId).state).toBe('interrupted');
    expect(existsSync(wav?.dest as string)).toBe(false);
    expect(await sha256Stream(wav?.src as string)).toBe(wav?.sha256);
    // A click on the old card does not start it either.
    const late = click(rig, card, 'plan.approve', APPROVER2);
    expect(await ephemeralFor(rig, late.responseUrlId as string)).toContain('interrupted');
    expect(rig.bot.lines.some((l) => l.msg === 'job started')).toBe(false);
    rig.emu.assertNoViolations();
  }, 60_000);
});

// End to end: the approval flow through the REAL bot process, the loopback Slack emulator and a generated
// workspace. `/ytm store` posts a plan card; Approve runs the exact plan once (double clicks, redelivered
// clicks and second approvers included); unauthorised and self-approvals of destructive plans are refused;
// Cancel and expiry stop a plan; a plan gone stale is not run and offers Re-plan; refusals get no Approve.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreAction } from '../../jobs/store/action.js';
import { readAudit } from '../../lib/audit/log.js';
import {
  APPROVER,
  applyStarts,
  auditKinds,
  buttonsOf,
  type Card,
  clearSharedScripts,
  click,
  ephemeralFor,
  poll,
  postedEpisodes,
  readRecord,
  requestCard,
  sha256File,
} from './approvals-support.js';
import { ALLOWED_USER, OPS_CHANNEL, OTHER_CHANNEL, OTHER_USER, type Rig, startRig } from './harness.js';

let rig: Rig;
let posted: string[];
/** Posted episode i: 0 is applied; 1 and 2 are only planned (never copied), so each is used twice. */
const episode = (i: 0 | 1 | 2) => posted[i] as string;

beforeAll(async () => {
  rig = await startRig({
    prepare: async (ws) => clearSharedScripts(ws),
    extraEnv: {
      YTM_SLACK_ALLOWED_USERS: `${ALLOWED_USER},${APPROVER}`,
      YTM_SLACK_APPROVERS: `${APPROVER},${ALLOWED_USER}`,
      YTM_TWO_PERSON_RULE: '1',
      YTM_MONITOR_INTERVAL_SEC: '1',
    },
  });
  posted = postedEpisodes(rig.ws);
  expect(posted.length).toBeGreaterThanOrEqual(3);
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

const actionsOf = (planId: string) => readRecord(rig, planId).plan.actions as unknown as StoreAction[];

async function settled(card: Card, pattern: RegExp): Promise<string> {
  return poll(`card to match ${pattern}`, () => (pattern.test(card.text()) ? card.text() : undefined), 30_000);
}

describe('/ytm store → plan card → Approve → the plan runs once', () => {
  let card: Card;
  let planId: string;

  it('posts a card naming each file with its size, the share, requester, hash, expiry, Approve and Cancel', async () => {
    const ep = episode(0);
    card = await requestCard(rig, `store --episode ${ep}`);
    planId = card.planId as string;
    expect(planId).toMatch(/^[0-9a-f]{64}$/);
    const text = card.text();
    expect(text).toContain(`Plan: store · ${ep}`);
    const actions = actionsOf(planId);
    expect(actions.length).toBeGreaterThanOrEqual(2);
    for (const a of actions) expect(text).toContain(`${a.srcRel} → ${a.destRel}`);
    expect(text).toMatch(/\(\d+ B\)/);
    expect(text).toContain('The share is *up*');
    expect(text).toContain(`Requested by <@${ALLOWED_USER}>`);
    expect(text).toContain(planId.slice(0, 10));
    expect(text).toContain('expires <!date^');
    const buttons = buttonsOf(card.message());
    expect(buttons.map((b) => b.action_id)).toEqual(['plan.approve', 'plan.cancel']);
    expect(buttons[0]?.value).toBe(planId);
    expect(buttons[0]?.confirm).toBeUndefined(); // not destructive
    const rec = readRecord(rig, planId);
    expect(rec.state).toBe('awaiting_approval');
    expect(rec.requestedBy).toBe(ALLOWED_USER);
    expect(rec.requestedIn).toBe(OPS_CHANNEL);
    await poll('the card ref on the plan', () => readRecord(rig, planId).slack);
    expect(readRecord(rig, planId).slack).toEqual({ channel: OPS_CHANNEL, ts: card.ts });
    for (const a of actions) expect(existsSync(a.dest)).toBe(false);
    rig.emu.assertNoViolations();
  });

  it('an unauthorised click is refused ephemerally, audited, and runs nothing', async () => {
    const c = click(rig, card, 'plan.approve', OTHER_USER);
    await rig.emu.waitForAck(c.envelopeId, 3000);
    const answer = await ephemeralFor(rig, c.responseUrlId as string);
    expect(answer).toContain('is not an approver');
    expect(answer).toContain(`<@${APPROVER}>`);
    await poll('refusal audit', async () => (await auditKinds(rig, planId, 'plan.approve_refused')) === 1);
    expect(readRecord(rig, planId).state).toBe('awaiting_approval');
    expect(applyStarts(rig, planId)).toBe(0);
    expect(buttonsOf(card.message()).length).toBe(2);
  });

  it('a double click and a redelivered click run `ytm apply` once; the loser hears "already approved"', async () => {
    const first = click(rig, card, 'plan.approve', APPROVER);
    const second = click(rig, card, 'plan.approve', APPROVER);
    rig.emu.redeliver(first.envelopeId);
    await rig.emu.waitForAck(first.envelopeId, 3000);
    await rig.emu.waitForAck(second.envelopeId, 3000);
    // Either click may win the compare-and-set; the other one hears it was already approved.
    const loser = await poll("the losing click's answer", () =>
      [first, second]
        .flatMap((c) => rig.emu.responses(c.responseUrlId as string))
        .map((p) => String(p.body.text ?? ''))
        .find((t) => t.includes('already approved')),
    );
    expect(loser).toContain(`already approved by <@${APPROVER}>`);
    const final = await settled(card, /Done/);
    // A second approver after the approval does nothing either.
    const late = click(rig, card, 'plan.approve', ALLOWED_USER);
    expect(await ephemeralFor(rig, late.responseUrlId as string)).toContain(`already approved by <@${APPROVER}>`);

    expect(applyStarts(rig, planId)).toBe(1);
    expect(await auditKinds(rig, planId, 'job.start')).toBe(1);
    expect(await auditKinds(rig, planId, 'plan.approved')).toBe(1);
    expect(readRecord(rig, planId).state).toBe('succeeded');

    // The card went "approved by …, running…" (no buttons) before the result.
    const history = card.message().history.map((h) => JSON.stringify(h));
    const running = history.find((h) => h.includes(`Approved by <@${APPROVER}>, running`));
    expect(running).toBeDefined();
    expect(running).not.toContain('plan.approve');
    expect(buttonsOf(card.message())).toEqual([]);
    for (const a of actionsOf(planId)) {
      expect(final).toContain(a.srcRel);
      expect(a.dest.startsWith(path.join(rig.ws.paths.sharedBase, ''))).toBe(true);
      expect(sha256File(a.dest)).toBe(sha256File(a.src));
    }
    expect(final).toContain('copied and verified');
    expect(final).toContain('Report: `');
    rig.emu.assertNoViolations();
  }, 60_000);
});

describe('refusals of the approval itself', () => {
  it('two-person rule: the requester cannot approve their own destructive (--symlink-back) plan', async () => {
    const card = await requestCard(rig, `store --episode ${episode(1)} --symlink-back`);
    const planId = card.planId as string;
    const approve = buttonsOf(card.message()).find((b) => b.action_id === 'plan.approve');
    expect(approve?.confirm).toBeDefined(); // destructive: a confirm dialog spells out the links
    expect(JSON.stringify(approve?.confirm)).toContain('replaced by links');
    expect(card.text()).toContain('two-person rule');
    const c = click(rig, card, 'plan.approve', ALLOWED_USER);
    const answer = await ephemeralFor(rig, c.responseUrlId as string);
    expect(answer).toContain('requester cannot approve');
    expect(answer).toContain(`<@${APPROVER}>`);
    expect(readRecord(rig, planId).state).toBe('awaiting_approval');
    expect(readRecord(rig, planId).approvals).toEqual([]);
    expect(applyStarts(rig, planId)).toBe(0);
    for (const a of actionsOf(planId)) expect(existsSync(a.dest)).toBe(false);
    rig.emu.assertNoViolations();
  });

  it('a plan with refusals (unposted episode with --symlink-back) shows why and has no Approve button', async () => {
    const hot = rig.ws.details.episodes.find((e) => e.hot && !e.postedCsv && !e.publishedLock);
    expect(hot).toBeDefined();
    const card = await requestCard(rig, `store --episode ${hot?.id} --symlink-back`);
    expect(card.text()).toContain('Refused — this plan cannot be approved');
    expect(buttonsOf(card.message()).map((b) => b.action_id)).not.toContain('plan.approve');
    rig.emu.assertNoViolations();
  });
});

describe('Cancel, expiry and stale plans never run', () => {
  it('Cancel: the card says "cancelled by …, not run", nothing is copied, Approve afterwards does nothing', async () => {
    const card = await requestCard(rig, `store --episode ${episode(1)}`);
    const planId = card.planId as string;
    const c = click(rig, card, 'plan.cancel', ALLOWED_USER);
    await rig.emu.waitForAck(c.envelopeId, 3000);
    const text = await settled(card, /Cancelled by/);
    expect(text).toContain(`Cancelled by <@${ALLOWED_USER}>, not run`);
    expect(buttonsOf(card.message())).toEqual([]);
    expect(readRecord(rig, planId).state).toBe('cancelled');
    const late = click(rig, card, 'plan.approve', APPROVER);
    expect(await ephemeralFor(rig, late.responseUrlId as string)).toContain('cancelled');
    // Someone who may not approve is refused and audited even on a plan that is already decided.
    const stranger = click(rig, card, 'plan.approve', OTHER_USER);
    expect(await ephemeralFor(rig, stranger.responseUrlId as string)).toContain('is not an approver');
    await poll('refusal audit', async () => (await auditKinds(rig, planId, 'plan.approve_refused')) === 1);
    expect(applyStarts(rig, planId)).toBe(0);
    for (const a of actionsOf(planId)) expect(existsSync(a.dest)).toBe(false);
    rig.emu.assertNoViolations();
  });

  it('expiry: the sweep updates the card to "expired, not run"; Approve afterwards does nothing', async () => {
    const card = await requestCard(rig, `store --episode ${episode(2)}`);
    const planId = card.planId as string;
    // Move this plan's clock past its TTL rather than waiting for it. First wait until the bot has recorded
    // where the card is (it does so right after posting it), or this rewrite would drop that and the sweep
    // could expire the plan without finding the card to update.
    await poll('card recorded on the plan', async () => readRecord(rig, planId).slack);
    const file = path.join(rig.stateDir, 'plans', `${planId}.json`);
    const rec = JSON.parse(readFileSync(file, 'utf8'));
    rec.expiresAt = new Date(Date.now() - 1000).toISOString();
    writeFileSync(file, JSON.stringify(rec));
    const text = await settled(card, /Expired, not run/);
    expect(text).not.toContain('plan.approve');
    expect(readRecord(rig, planId).state).toBe('expired');
    const late = click(rig, card, 'plan.approve', APPROVER);
    expect(await ephemeralFor(rig, late.responseUrlId as string)).toContain('expired');
    expect(applyStarts(rig, planId)).toBe(0);
    for (const a of actionsOf(planId)) expect(existsSync(a.dest)).toBe(false);
    rig.emu.assertNoViolations();
  });

  it('stale: the share turned into a stub after the card → "plan is stale" + Re-plan, nothing copied', async () => {
    const ep = episode(2);
    const card = await requestCard(rig, `store --episode ${ep}`);
    const planId = card.planId as string;
    const marker = path.join(rig.ws.paths.share, 'README_MOUNTPOINT.txt');
    writeFileSync(marker, 'local mountpoint stub\n');
    try {
      const c = click(rig, card, 'plan.approve', APPROVER);
      await rig.emu.waitForAck(c.envelopeId, 3000);
      const text = await settled(card, /plan is stale/);
      // In words, once: what changed, not the fingerprint's keys.
      expect(text).toMatch(/The plan is stale, nothing was done: the share is \w+ now \(was up\)/);
      expect(text).not.toContain('share.state');
      expect(buttonsOf(card.message()).map((b) => b.action_id)).toEqual(['plan.replan']);
      expect(readRecord(rig, planId).state).toBe('stale');
      for (const a of actionsOf(planId)) expect(existsSync(a.dest)).toBe(false);
      expect(applyStarts(rig, planId)).toBe(1);
    } finally {
      rmSync(marker, { force: true });
    }
    // Re-plan re-runs the original command for the user and posts a fresh card.
    const before = rig.emu.messages(OPS_CHANNEL).length;
    const replan = click(rig, card, 'plan.replan', ALLOWED_USER);
    await rig.emu.waitForAck(replan.envelopeId, 3000);
    const fresh = await poll('the re-plan card', () =>
      rig.emu
        .messages(OPS_CHANNEL)
        .slice(before)
        .find((m) => /^Plan [0-9a-f]{10}:/.test(m.text ?? '') && !m.thread_ts),
    );
    const freshId = buttonsOf(fresh).find((b) => b.action_id === 'plan.approve')?.value;
    expect(freshId).toMatch(/^[0-9a-f]{64}$/);
    expect(freshId).not.toBe(planId);
    expect(JSON.stringify(fresh.blocks)).toContain(`store · ${ep}`);
    rig.emu.assertNoViolations();
  }, 60_000);
});

describe('clicks that do not come from the plan card, or from someone who may not act', () => {
  it("an approver's Approve on a message that is not the plan card is refused, audited, and runs nothing", async () => {
    const card = await requestCard(rig, `store --episode ${episode(1)}`);
    const planId = card.planId as string;
    await poll('the card ref on the plan', () => readRecord(rig, planId).slack);
    // The plan's id in a button on another message (a forged or copied button): same channel, other ts.
    const forged = rig.emu.pushBlockAction({
      user: APPROVER,
      channel: OPS_CHANNEL,
      message_ts: '1600000000.000100',
      action_id: 'plan.approve',
      value: planId,
    });
    await rig.emu.waitForAck(forged.envelopeId, 3000);
    expect(await ephemeralFor(rig, forged.responseUrlId as string)).toContain('not on the card of plan');
    await poll('click refusal audit', async () => (await auditKinds(rig, planId, 'plan.click_refused')) === 1);
    expect(readRecord(rig, planId).state).toBe('awaiting_approval');
    expect(readRecord(rig, planId).approvals).toEqual([]);
    expect(applyStarts(rig, planId)).toBe(0);
    for (const a of actionsOf(planId)) expect(existsSync(a.dest)).toBe(false);
    expect(buttonsOf(card.message()).map((b) => b.action_id)).toEqual(['plan.approve', 'plan.cancel']);
  });

  it("Cancel by someone else is refused ephemerally; the requester's Cancel from another channel too; the plan still awaits", async () => {
    const card = await requestCard(rig, `store --episode ${episode(1)}`);
    const planId = card.planId as string;
    await poll('the card ref on the plan', () => readRecord(rig, planId).slack);
    const stranger = click(rig, card, 'plan.cancel', OTHER_USER);
    const answer = await ephemeralFor(rig, stranger.responseUrlId as string);
    expect(answer).toContain(`Only the requester (<@${ALLOWED_USER}>) or an approver may cancel`);
    await poll('cancel refusal audit', async () => (await auditKinds(rig, planId, 'plan.cancel_refused')) === 1);
    // The requester, but the click comes from a channel the bot does not serve.
    const elsewhere = rig.emu.pushBlockAction({
      user: ALLOWED_USER,
      channel: OTHER_CHANNEL,
      message_ts: card.ts,
      action_id: 'plan.cancel',
      value: planId,
    });
    expect(await ephemeralFor(rig, elsewhere.responseUrlId as string)).toContain('not enabled in this channel');
    const refused = (await readAudit(rig.stateDir)).filter(
      (e) => e.kind === 'slack.refused' && (e.data as { what?: string }).what === 'button plan.cancel',
    );
    expect(refused.map((e) => (e.data as { reason?: string }).reason)).toEqual(['channel_not_allowed']);
    expect(readRecord(rig, planId).state).toBe('awaiting_approval');
    expect(buttonsOf(card.message()).map((b) => b.action_id)).toEqual(['plan.approve', 'plan.cancel']);
    expect(card.text()).not.toContain('Cancelled');
    rig.emu.assertNoViolations();
  });
});

describe('fail closed without approvers', () => {
  let bare: Rig;
  beforeAll(async () => {
    bare = await startRig({ prepare: async (ws) => clearSharedScripts(ws), extraEnv: { YTM_SLACK_APPROVERS: '' } });
  }, 90_000);
  afterAll(async () => {
    await bare?.close();
  });

  it('the card says nothing can be approved and how to configure YTM_SLACK_APPROVERS; no Approve button', async () => {
    const ep = postedEpisodes(bare.ws)[0];
    const card = await requestCard(bare, `store --episode ${ep}`);
    expect(card.text()).toContain('no approvers are configured');
    expect(card.text()).toContain('YTM_SLACK_APPROVERS');
    expect(buttonsOf(card.message()).map((b) => b.action_id)).toEqual(['plan.cancel']);
    bare.emu.assertNoViolations();
  });

  it('a forged Approve (the card has no such button) is refused, audited, and the plan is not run', async () => {
    const card = await requestCard(bare, `store --episode ${postedEpisodes(bare.ws)[1]}`);
    const planId = card.planId as string;
    await poll('the card ref on the plan', () => readRecord(bare, planId).slack);
    const forged = bare.emu.pushBlockAction({
      user: ALLOWED_USER,
      channel: OPS_CHANNEL,
      message_ts: card.ts,
      action_id: 'plan.approve',
      value: planId,
    });
    await bare.emu.waitForAck(forged.envelopeId, 3000);
    expect(await ephemeralFor(bare, forged.responseUrlId as string)).toContain('No approvers are configured');
    await poll('refusal audit', async () => (await auditKinds(bare, planId, 'plan.approve_refused')) === 1);
    expect(readRecord(bare, planId).state).toBe('awaiting_approval');
    expect(applyStarts(bare, planId)).toBe(0);
    for (const a of readRecord(bare, planId).plan.actions as unknown as StoreAction[]) {
      expect(existsSync(a.dest)).toBe(false);
    }
  });
});

// End to end through the REAL bot and the loopback Slack emulator: `/ytm runs archive --channel CHxx` posts a
// plan card naming each run and saying a rename frees nothing; Approve (clicked twice) moves the runs once.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantRunProtections, type RunProtections } from '../fixtures/run-protections.js';
import { APPROVER, applyStarts, buttonsOf, click, poll, readRecord, requestCard } from './approvals-support.js';
import { ALLOWED_USER, type Rig, startRig } from './harness.js';

let rig: Rig;
let prot: RunProtections;

beforeAll(async () => {
  rig = await startRig({
    prepare: async (ws) => {
      prot = plantRunProtections(ws, Date.now());
    },
    extraEnv: { YTM_SLACK_ALLOWED_USERS: `${ALLOWED_USER},${APPROVER}`, YTM_SLACK_APPROVERS: APPROVER },
  });
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

describe('/ytm runs archive → card → Approve → the runs move once', () => {
  it('posts the card, and one approval (clicked twice) archives exactly the planned runs', async () => {
    const ch = prot.posted.slice(0, 4);
    const card = await requestCard(rig, `runs archive --channel ${ch}`);
    const planId = card.planId as string;
    const text = card.text();
    const moved = Object.entries(prot.expected)
      .filter(([id, d]) => d.archive && id.startsWith(`${ch}-`))
      .map(([id]) => id);
    expect(moved.length).toBe(2);
    for (const id of moved) expect(text).toContain(id);
    expect(text).toContain('frees nothing');
    expect(buttonsOf(card.message()).map((b) => b.action_id)).toEqual(['plan.approve', 'plan.cancel']);
    for (const id of moved) expect(existsSync(path.join(rig.ws.paths.videoRuns, id))).toBe(true);

    click(rig, card, 'plan.approve', APPROVER);
    click(rig, card, 'plan.approve', APPROVER);
    await poll('the card to say Done', () => (/Done/.test(card.text()) ? true : undefined), 30_000);
    expect(readRecord(rig, planId).state).toBe('succeeded');
    expect(applyStarts(rig, planId)).toBe(1);
    for (const id of moved) expect(existsSync(path.join(rig.ws.paths.videoRuns, id))).toBe(false);
    for (const [id, d] of Object.entries(prot.expected)) {
      if (!d.archive) expect(existsSync(path.join(rig.ws.paths.videoRuns, id)), id).toBe(true);
    }
    rig.emu.assertNoViolations();
  }, 60_000);
});

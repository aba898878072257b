// End to end: the outbox recovery notice. The bot starts while the share is a stub and files wait in the local
// outbox; when the share comes back, ONE message with "Plan flush" goes to the alert channel; the button posts
// the outbox-flush plan card; a restarted bot does not announce the same recovery again.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVER, buttonsOf, poll } from './approvals-support.js';
import { ALLOWED_USER, OPS_CHANNEL, type Rig, spawnBot, startRig } from './harness.js';

let rig: Rig;
const notices = () => rig.emu.messages(OPS_CHANNEL).filter((m) => /^Share is back/.test(m.text ?? ''));
const stateFile = () => path.join(rig.stateDir, 'monitors', 'share-state.json');
const lastState = () => (existsSync(stateFile()) ? JSON.parse(readFileSync(stateFile(), 'utf8')).state : undefined);

beforeAll(async () => {
  rig = await startRig({
    // The fixture plants outbox files (faults); the marker makes the share a stub (down) at start-up.
    prepare: async (ws) => writeFileSync(path.join(ws.paths.share, 'README_MOUNTPOINT.txt'), 'stub\n'),
    extraEnv: {
      YTM_SLACK_ALERT_CHANNEL: OPS_CHANNEL,
      YTM_SLACK_APPROVERS: APPROVER,
      YTM_MONITOR_INTERVAL_SEC: '1',
    },
  });
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

describe('outbox recovery notice', () => {
  it('the share coming back posts one notice with the backlog and a "Plan flush" button', async () => {
    expect(rig.ws.details.outboxPending.length).toBeGreaterThan(0);
    await poll('the monitor to see the stub', () => lastState() === 'stub');
    expect(notices()).toEqual([]);
    rmSync(path.join(rig.ws.paths.share, 'README_MOUNTPOINT.txt'));
    const notice = await poll('the recovery notice', () => notices()[0], 20_000);
    expect(notice.text).toContain(`${rig.ws.details.outboxPending.length} file(s)`);
    expect(buttonsOf(notice).map((b) => b.action_id)).toEqual(['outbox.plan_flush']);
    // Several more monitor ticks: still one message.
    await new Promise((r) => setTimeout(r, 3_500));
    expect(notices().length).toBe(1);
    expect(lastState()).toBe('up');
    rig.emu.assertNoViolations();
  }, 40_000);

  it('"Plan flush" posts the outbox-flush plan card (nothing copied yet)', async () => {
    const notice = notices()[0];
    const before = rig.emu.messages(OPS_CHANNEL).length;
    const c = rig.emu.pushBlockAction({
      user: ALLOWED_USER,
      channel: OPS_CHANNEL,
      message_ts: notice?.ts as string,
      action_id: 'outbox.plan_flush',
    });
    await rig.emu.waitForAck(c.envelopeId, 3000);
    const card = await poll('the flush card', () =>
      rig.emu
        .messages(OPS_CHANNEL)
        .slice(before)
        .find((m) => /^Plan [0-9a-f]{10}:/.test(m.text ?? '')),
    );
    const text = JSON.stringify(card.blocks);
    expect(text).toContain('Plan: outbox · flush');
    expect(text).toContain('remove the outbox copy');
    expect(buttonsOf(card).map((b) => b.action_id)).toEqual(['plan.approve', 'plan.cancel']);
    for (const f of rig.ws.details.outboxPending) expect(existsSync(f)).toBe(true);
    rig.emu.assertNoViolations();
  }, 30_000);

  it('a restarted bot does not announce the same recovery again', async () => {
    await rig.bot.stop();
    rig.bot = spawnBot(rig.env, rig.dir);
    await rig.bot.waitForLog((l) => l.msg === 'bot connected (Socket Mode)', 15_000);
    await new Promise((r) => setTimeout(r, 3_500));
    expect(notices().length).toBe(1);
  }, 40_000);
});

// End to end (bot process, loopback emulator, fixture workspace, 1 s monitor ticks): the share alert from a
// stub marker — one message after the debounce, edited and answered "resolved" when the share is back, no
// duplicate after a restart, delivered once and in order after Slack was unreachable — plus the outbox alert's
// button, the Silence button and its end, and `/ytm status`.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertStateFile } from '../../bot/alerts/store.js';
import type { StoredMessage } from '../slack/emulator.js';
import { APPROVER, buttonsOf, poll } from './approvals-support.js';
import { ALLOWED_USER, blocksText, MONITOR_SCHEDULE, OPS_CHANNEL, type Rig, spawnBot, startRig } from './harness.js';

let rig: Rig;
const marker = () => path.join(rig.ws.paths.share, 'README_MOUNTPOINT.txt');
const stub = () => writeFileSync(marker(), 'stub\n');
const unstub = () => rmSync(marker(), { force: true });
/** Top-level messages (not thread replies) whose text matches. */
const posts = (re: RegExp) => rig.emu.messages(OPS_CHANNEL).filter((m) => !m.thread_ts && re.test(m.text ?? ''));
const replies = (parent: StoredMessage) =>
  rig.emu.messages(OPS_CHANNEL).filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
const current = (m: StoredMessage) => rig.emu.getMessage(OPS_CHANNEL, m.ts) as StoredMessage;
const SHARE = /^(Share down|Resolved: Share down)/;
/** Monitor children the current bot process finished so far. */
const monitorRuns = () =>
  rig.bot.lines.filter((l) => l.msg === 'job finished' && JSON.stringify(l.args).includes('monitor')).length;
async function ticks(n: number) {
  const target = monitorRuns() + n;
  await poll(`${n} more monitor checks`, () => monitorRuns() >= target, 30_000);
}

beforeAll(async () => {
  rig = await startRig({
    faults: true,
    extraEnv: {
      YTM_SLACK_ALERT_CHANNEL: OPS_CHANNEL,
      YTM_SLACK_APPROVERS: APPROVER,
      YTM_MONITOR_INTERVAL_SEC: '1',
      YTM_SCHEDULE_MANIFEST: MONITOR_SCHEDULE,
      YTM_MONITOR_DOCTOR_EVERY_MIN: '0',
      YTM_ALERT_SILENCE_SHORT_MIN: '0.05',
    },
  });
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

describe('share alert', () => {
  it('a share flipped to a stub gives one alert after the debounce, not one per check', async () => {
    await ticks(1);
    stub();
    const alert = await poll('the share alert', () => posts(SHARE)[0], 20_000);
    expect(alert.text).toMatch(/^Share down \(stub since \d\d:\d\d\): stores go to the outbox, mirror paused$/);
    expect(buttonsOf(alert).map((b) => b.action_id)).toEqual([
      'doctor.rerun',
      'alert.silence_short',
      'alert.silence_long',
    ]);
    await ticks(3);
    expect(posts(SHARE)).toHaveLength(1);
    rig.emu.assertNoViolations();
  }, 60_000);

  it('a restarted bot does not post the firing alert again', async () => {
    await rig.bot.stop();
    rig.bot = spawnBot(rig.env, rig.dir);
    await rig.bot.waitForLog((l) => l.msg === 'bot connected (Socket Mode)', 15_000);
    await ticks(3);
    expect(posts(SHARE)).toHaveLength(1);
  }, 60_000);

  it('the share back: the same message is edited and answered "resolved after …"', async () => {
    const [alert] = posts(SHARE);
    if (!alert) throw new Error('no share alert');
    unstub();
    await poll('the resolved edit', () => /^Resolved: Share down/.test(current(alert).text ?? ''), 20_000);
    expect(current(alert).edited).toBeDefined();
    const reply = await poll('the resolved reply', () =>
      replies(alert).find((r) => /^resolved after /.test(r.text ?? '')),
    );
    expect(reply.text).toMatch(/^resolved after \d+ s$/);
    expect(posts(SHARE)).toHaveLength(1);
    rig.emu.assertNoViolations();
  }, 60_000);

  it('Slack unreachable: what happened meanwhile is delivered once, in order, after it comes back', async () => {
    const before = posts(SHARE).length;
    rig.emu.injectFault({ method: 'chat.postMessage', status: 503, times: Number.POSITIVE_INFINITY });
    rig.emu.injectFault({ method: 'chat.update', status: 503, times: Number.POSITIVE_INFINITY });
    stub();
    await rig.bot.waitForLog((l) => l.msg === 'alert message not sent; kept in the queue', 30_000);
    unstub();
    // Both the firing and the resolution happen while Slack is away.
    await poll(
      'the resolution to be queued',
      () => {
        const lines = rig.bot.lines.filter((l) => l.msg === 'alert events').map((l) => JSON.stringify(l.events));
        return lines.some((l) => l.includes('resolved:share'));
      },
      30_000,
    );
    rig.emu.clearFaults();
    // The queue's retry and the client's own back-off (up to 8 s a call) both run: allow for a loaded machine.
    const alert = await poll('the late alert', () => posts(SHARE)[before], 60_000);
    await poll('its resolution', () => /^Resolved: Share down/.test(current(alert).text ?? ''), 30_000);
    await poll('the resolved reply', () => replies(alert).find((r) => /^resolved after /.test(r.text ?? '')), 30_000);
    await ticks(2);
    expect(posts(SHARE)).toHaveLength(before + 1);
    expect(replies(alert).filter((r) => /^resolved after /.test(r.text ?? ''))).toHaveLength(1);
    // post, then edit, then reply: the edit and the reply went to the message the post created.
    const calls = rig.emu
      .callsTo('chat.postMessage')
      .concat(rig.emu.callsTo('chat.update'))
      .filter(
        (c) =>
          c.status === 200 &&
          (c.body.ts === alert.ts || c.body.thread_ts === alert.ts || (c.response as { ts?: string })?.ts === alert.ts),
      )
      .sort((a, b) => a.at - b.at)
      .map((c) => c.method);
    expect(calls).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
  }, 180_000);
});

describe('outbox alert, buttons and silences', () => {
  const OUTBOX = /^Outbox not drained: 3 file\(s\) wait while the share is up$/;

  it('"Plan outbox flush" on the outbox alert posts the flush plan card; nothing is copied', async () => {
    const alert = await poll('the outbox alert', () => posts(OUTBOX)[0], 30_000);
    expect(buttonsOf(alert).map((b) => b.action_id)).toEqual([
      'outbox.plan_flush',
      'alert.silence_short',
      'alert.silence_long',
    ]);
    const before = rig.emu.messages(OPS_CHANNEL).length;
    const c = rig.emu.pushBlockAction({
      user: ALLOWED_USER,
      channel: OPS_CHANNEL,
      message_ts: alert.ts,
      action_id: 'outbox.plan_flush',
      value: 'flush',
    });
    await rig.emu.waitForAck(c.envelopeId, 3000);
    const card = await poll('the flush card', () =>
      rig.emu
        .messages(OPS_CHANNEL)
        .slice(before)
        .find((m) => /^Plan [0-9a-f]{10}:/.test(m.text ?? '')),
    );
    expect(blocksText(card.blocks)).toContain('Plan: outbox · flush');
    for (const f of rig.ws.details.outboxPending) expect(existsSync(f)).toBe(true);
  }, 60_000);

  it('Silence holds the alert, says so in its thread, and announces its end', async () => {
    const [alert] = posts(OUTBOX);
    if (!alert) throw new Error('no outbox alert');
    const silenceButton = buttonsOf(alert).find((b) => b.action_id === 'alert.silence_short');
    expect(silenceButton).toBeDefined();
    const c = rig.emu.pushBlockAction({
      user: ALLOWED_USER,
      channel: OPS_CHANNEL,
      message_ts: alert.ts,
      action_id: 'alert.silence_short',
      value: 'outbox',
    });
    await rig.emu.waitForAck(c.envelopeId, 3000);
    const set = await poll('the silence notice', () =>
      replies(alert).find((r) => /^Silenced for 0.05 min by <@U0ALLOWED1>/.test(r.text ?? '')),
    );
    expect(set).toBeDefined();
    await poll('the message to show the silence', () =>
      blocksText(current(alert).blocks).includes(':zzz: silenced until'),
    );
    const ended = await poll(
      'the end of the silence',
      () => replies(alert).find((r) => /^Silence ended: still firing, Outbox not drained/.test(r.text ?? '')),
      30_000,
    );
    expect(ended).toBeDefined();
    expect(posts(OUTBOX)).toHaveLength(1);
  }, 60_000);

  it('a stranger cannot silence an alert', async () => {
    const [alert] = posts(OUTBOX);
    const c = rig.emu.pushBlockAction({
      user: 'U0STRANGER',
      channel: OPS_CHANNEL,
      message_ts: alert?.ts as string,
      action_id: 'alert.silence_long',
      value: 'outbox',
    });
    await rig.emu.waitForAck(c.envelopeId, 3000);
    await rig.bot.waitForLog((l) => l.msg === 'slack request refused' && l.what === 'button alert.silence_long');
    const state = JSON.parse(readFileSync(alertStateFile(rig.stateDir), 'utf8'));
    expect(state.machine.silences.outbox).toBeUndefined();
  }, 30_000);

  it('"Plan mirror" on the mirror alert goes through the planning path for `/ytm mirror`', async () => {
    const alert = await poll('the mirror alert', () => posts(/^Mirror failed: rsync exit 23$/)[0], 30_000);
    expect(buttonsOf(alert).map((b) => [b.action_id, b.value])).toEqual([
      ['alert.plan', 'mirror'],
      ['alert.silence_short', 'mirror'],
      ['alert.silence_long', 'mirror'],
    ]);
    const before = rig.emu.messages(OPS_CHANNEL).length;
    const c = rig.emu.pushBlockAction({
      user: ALLOWED_USER,
      channel: OPS_CHANNEL,
      message_ts: alert.ts,
      action_id: 'alert.plan',
      value: 'mirror',
    });
    await rig.emu.waitForAck(c.envelopeId, 3000);
    const started = await rig.bot.waitForLog(
      (l) => l.msg === 'job started' && JSON.stringify(l.args) === '["mirror","--events"]',
      20_000,
    );
    expect(started).toBeDefined();
    // The mirror's dry run becomes its plan card in the channel, as `/ytm mirror` would post it.
    const card = await poll(
      'the mirror plan card',
      () =>
        rig.emu
          .messages(OPS_CHANNEL)
          .slice(before)
          .find((m) => /^Plan\b/.test(m.text ?? '') && blocksText(m.blocks).includes('mirror')),
      60_000,
    );
    expect(blocksText(card.blocks)).toContain('Plan: mirror');
  }, 120_000);

  it('a crafted "Plan" value is not planned', async () => {
    const [alert] = posts(/^Mirror failed/);
    const c = rig.emu.pushBlockAction({
      user: ALLOWED_USER,
      channel: OPS_CHANNEL,
      message_ts: alert?.ts as string,
      action_id: 'alert.plan',
      value: 'store --episode CH01-001',
    });
    await rig.emu.waitForAck(c.envelopeId, 3000);
    const post = await rig.emu.waitForResponse((p) => p.id === c.responseUrlId, 10_000);
    expect(String(post.body.text)).toContain('does not name a plan');
  }, 30_000);

  it('"Run doctor" on an alert posts a fresh doctor report', async () => {
    const [alert] = posts(/^Planning split/);
    if (!alert) throw new Error('no planning alert');
    expect(buttonsOf(alert)[0]?.action_id).toBe('doctor.rerun');
    const c = rig.emu.pushBlockAction({
      user: ALLOWED_USER,
      channel: OPS_CHANNEL,
      message_ts: alert.ts,
      action_id: 'doctor.rerun',
    });
    await rig.emu.waitForAck(c.envelopeId, 3000);
    const report = await rig.emu.waitForResponse(
      (p) => p.id === c.responseUrlId && p.body.response_type === 'in_channel',
      30_000,
    );
    expect(blocksText(report.body.blocks)).toContain('PLANNING_FALLBACK');
  }, 60_000);

  it('`/ytm status` shows the firing alerts and what is running', async () => {
    const push = rig.emu.pushSlashCommand({ text: 'status', user_id: ALLOWED_USER, channel_id: OPS_CHANNEL });
    await rig.emu.waitForAck(push.envelopeId, 3000);
    const post = await rig.emu.waitForResponse((p) => p.id === push.responseUrlId, 10_000);
    const text = blocksText(post.body.blocks);
    expect(String(post.body.text)).toMatch(/^ytm status on .+: \d+ alerts? firing/);
    expect(text).toContain('Outbox not drained: 3 file(s) wait while the share is up');
    expect(text).toContain('*Stuck probes*');
    expect(text).toContain('share *up*');
  }, 30_000);

  it('App Home shows the same status', async () => {
    rig.emu.pushEvent({ type: 'app_home_opened', user: ALLOWED_USER, tab: 'home', channel: 'D0HOME0001' });
    const view = await poll('the home view', () => rig.emu.homeView(ALLOWED_USER), 10_000);
    const text = blocksText(view.view.blocks);
    expect(text).toContain('Outbox not drained');
    expect(text).toContain('*Plans waiting or running*');
  }, 30_000);
});

/**
 * A REAL Bolt 5 app (Socket Mode, wiring B) against the emulator, in-process.
 */
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type InProcessBot, silentLogger, startBoltBot } from './bolt-harness.js';
import { SlackEmulator } from './emulator.js';

let emu: SlackEmulator;
let bot: InProcessBot | undefined;

beforeEach(async () => {
  emu = await SlackEmulator.start();
  bot = undefined;
});

afterEach(async () => {
  // Order matters (notes gotcha 4): the bot first, then the emulator.
  await bot?.stop();
  await emu.stop();
});

const approvalBlocks = (planId: string) => [
  { type: 'header', text: { type: 'plain_text', text: 'Store plan' } },
  { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: `*Plan* \`${planId}\`: 3 files` } },
  {
    type: 'actions',
    block_id: 'decide',
    elements: [
      {
        type: 'button',
        action_id: 'approve',
        text: { type: 'plain_text', text: 'Approve' },
        value: planId,
        style: 'primary',
      },
      {
        type: 'button',
        action_id: 'reject',
        text: { type: 'plain_text', text: 'Reject' },
        value: planId,
        style: 'danger',
      },
    ],
  },
];

describe('SlackEmulator with a real Bolt app', () => {
  it('serves auth.test and apps.connections.open, sends hello, and app.start() resolves', async () => {
    bot = await startBoltBot(emu);
    const conn = await emu.waitForConnection(1);
    expect(conn.index).toBe(1);
    expect(conn.helloSentAt).toBeTypeOf('number');
    expect(conn.closedAt).toBeUndefined();
    expect(emu.openConnectionCount()).toBe(1);
    const auth = emu.callsTo('auth.test');
    expect(auth.length).toBeGreaterThanOrEqual(1);
    expect(auth[0]?.token).toBe(emu.botToken);
    expect(auth[0]?.response?.user_id).toBe(emu.botUserId);
    const open = emu.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe(emu.appToken);
    expect(String(open[0]?.response?.url)).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=1$/);
  });

  it('acks a slash command (ack payload recorded) and respond() reaches the response_url', async () => {
    const seen: string[] = [];
    bot = await startBoltBot(emu, (app) => {
      app.command('/ytm', async ({ command, ack, respond }) => {
        seen.push(command.text);
        await ack({ text: `working on ${command.text}` });
        await respond({ text: `done: ${command.text}` });
      });
    });
    await emu.waitForConnection(1);
    const push = emu.pushSlashCommand({ text: 'doctor', user_id: 'U0ALICE', channel_id: 'C0OPS' });
    expect(push.connection).toBe(1);
    const ack = await emu.waitForAck(push.envelopeId);
    expect(ack.payload).toEqual({ text: 'working on doctor' });
    expect(ack.connection).toBe(1);
    // The ack was paired with the send it answers (latency itself is measured by `npm run bench`).
    expect(Number.isNaN(ack.latencyMs)).toBe(false);

    const resp = await emu.waitForResponse((p) => p.envelopeId === push.envelopeId);
    expect(resp.body.text).toBe('done: doctor');
    expect(resp.status).toBe(200);
    expect(resp.effect).toBe('ephemeral');
    expect(emu.ephemerals.map((e) => [e.user, e.channel, e.text])).toEqual([['U0ALICE', 'C0OPS', 'done: doctor']]);
    expect(seen).toEqual(['doctor']);
  });

  it('never sees an ack for a command without a listener (waitForAck rejects with what it saw)', async () => {
    bot = await startBoltBot(emu, (app) => {
      app.command('/ytm', async ({ ack }) => {
        await ack();
      });
    });
    await emu.waitForConnection(1);
    const push = emu.pushSlashCommand({ command: '/unknown', text: 'x' });
    await expect(emu.waitForAck(push.envelopeId, 300)).rejects.toThrow(
      /timed out after 300 ms.*sent 1× on connection\(s\) #1/,
    );
    expect(emu.unackedEnvelopes().map((e) => e.envelopeId)).toEqual([push.envelopeId]);
  });

  it('records chat.postMessage with its blocks parsed from the form field, and stores the message', async () => {
    bot = await startBoltBot(emu);
    const first = await bot.app.client.chat.postMessage({
      channel: 'C0OPS',
      text: 'plan ready',
      blocks: approvalBlocks('p-1'),
    });
    const second = await bot.app.client.chat.postMessage({ channel: 'C0OPS', text: 'second' });
    expect(first.ts).toBe('1700000000.000100');
    expect(String(second.ts) > String(first.ts)).toBe(true);
    expect(first.channel).toBe('C0OPS');
    expect(first.message?.blocks).toHaveLength(3);

    const call = emu.callsTo('chat.postMessage')[0];
    expect(call?.contentType).toBe('form');
    expect(call?.token).toBe(emu.botToken);
    expect(Array.isArray(call?.body.blocks)).toBe(true);
    expect(call?.body.blocks).toEqual(approvalBlocks('p-1'));

    const stored = emu.getMessage('C0OPS', String(first.ts));
    expect(stored?.text).toBe('plan ready');
    expect(stored?.blocks).toEqual(approvalBlocks('p-1'));
    expect(emu.messages('C0OPS').map((m) => m.text)).toEqual(['plan ready', 'second']);
    expect(emu.violations).toEqual([]);
  });

  it('delivers a button click to an action listener, which edits the message with chat.update', async () => {
    const clicks: { value: string | undefined; user: string; planText: string | undefined }[] = [];
    bot = await startBoltBot(emu, (app) => {
      app.action<BlockAction<ButtonAction>>('approve', async ({ ack, body, action, client }) => {
        await ack();
        clicks.push({ value: action.value, user: body.user.id, planText: body.message?.text });
        await client.chat.update({
          channel: body.channel?.id ?? '',
          ts: body.message?.ts ?? '',
          text: `approved by <@${body.user.id}>`,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Approved by <@${body.user.id}>` } }],
        });
      });
    });
    const posted = await bot.app.client.chat.postMessage({
      channel: 'C0OPS',
      text: 'plan p-7',
      blocks: approvalBlocks('p-7'),
    });
    const push = emu.pushBlockAction({
      user: 'U0BOB',
      channel: 'C0OPS',
      message_ts: String(posted.ts),
      action_id: 'approve',
    });
    const ack = await emu.waitForAck(push.envelopeId);
    expect(ack.payload).toEqual({});
    const update = await emu.waitForCall('chat.update');
    expect(update.body.ts).toBe(posted.ts);
    expect(clicks).toEqual([{ value: 'p-7', user: 'U0BOB', planText: 'plan p-7' }]);
    const msg = emu.getMessage('C0OPS', String(posted.ts));
    expect(msg?.text).toBe('approved by <@U0BOB>');
    expect(msg?.edited?.user).toBe(emu.botUserId);
    expect(msg?.history).toHaveLength(1);
    expect(msg?.history[0]?.text).toBe('plan p-7');
  });

  it('applies respond({replace_original}) to the message the click came from', async () => {
    bot = await startBoltBot(emu, (app) => {
      app.action('reject', async ({ ack, respond }) => {
        await ack();
        await respond({ replace_original: true, text: 'Rejected' });
      });
    });
    const posted = await bot.app.client.chat.postMessage({
      channel: 'C0OPS',
      text: 'plan',
      blocks: approvalBlocks('p-9'),
    });
    const push = emu.pushBlockAction({
      user: 'U0BOB',
      channel: 'C0OPS',
      message_ts: String(posted.ts),
      action_id: 'reject',
    });
    const resp = await emu.waitForResponse((p) => p.envelopeId === push.envelopeId);
    expect(resp.effect).toBe('replaced');
    expect(emu.getMessage('C0OPS', String(posted.ts))?.text).toBe('Rejected');
    expect(emu.getMessage('C0OPS', String(posted.ts))?.blocks).toBeUndefined();
  });

  it('reconnects after disconnect{refresh_requested}; a command afterwards is acked on connection #2', async () => {
    bot = await startBoltBot(emu, (app) => {
      app.command('/ytm', async ({ ack, command }) => {
        await ack({ text: command.text });
      });
    });
    await emu.waitForConnection(1);
    expect(emu.disconnect('refresh_requested')).toEqual([1]);
    const closed = await emu.waitForClose(1);
    expect(closed.closeCode).toBe(1000); // the client closes at once
    expect(closed.disconnectsSent).toEqual(['refresh_requested']);
    const second = await emu.waitForConnection(2, 5000);
    expect(second.openedAt).toBeGreaterThanOrEqual(closed.closedAt ?? Number.POSITIVE_INFINITY); // no overlap
    expect(emu.callsTo('apps.connections.open')).toHaveLength(2);
    const push = emu.pushSlashCommand({ text: 'after-refresh' });
    expect(push.connection).toBe(2);
    const ack = await emu.waitForAck(push.envelopeId);
    expect(ack.connection).toBe(2);
    expect(ack.payload).toEqual({ text: 'after-refresh' });
  });

  it('reconnects after dropSockets() (TCP drop, 1006) and acks on the new socket', async () => {
    bot = await startBoltBot(emu, (app) => {
      app.command('/ytm', async ({ ack }) => {
        await ack();
      });
    });
    await emu.waitForConnection(1);
    expect(emu.dropSockets()).toEqual([1]);
    const closed = await emu.waitForClose(1);
    expect(closed.closeCode).toBe(1006);
    expect(() => emu.pushSlashCommand({ text: 'in the gap' })).toThrow(/no open Socket Mode connection/);
    await emu.waitForConnection(2, 5000);
    const push = emu.pushSlashCommand({ text: 'after-drop' });
    const ack = await emu.waitForAck(push.envelopeId);
    expect(ack.connection).toBe(2);
    expect(bot.logger.lines.some((l) => l.startsWith('[error]'))).toBe(true); // socket-mode logs the drop
  });

  it('redeliver() re-sends the same envelope and the new ack is attributed to attempt 2', async () => {
    let runs = 0;
    bot = await startBoltBot(emu, (app) => {
      app.command('/ytm', async ({ ack }) => {
        runs += 1;
        await ack();
      });
    });
    await emu.waitForConnection(1);
    const push = emu.pushSlashCommand({ text: 'store' });
    const a1 = await emu.waitForAck(push.envelopeId);
    emu.redeliver(push.envelopeId);
    const a2 = await emu.waitForAck(push.envelopeId);
    expect([a1.attempt, a2.attempt]).toEqual([1, 2]);
    expect(emu.getEnvelope(push.envelopeId)?.sends).toHaveLength(2);
    expect(runs).toBe(2); // plain Bolt does not dedupe: the app must
  });

  it('retries a 429 with Retry-After (web-api) and then succeeds', async () => {
    bot = await startBoltBot(emu);
    const fault = emu.injectFault({ method: 'chat.postMessage', status: 429, retryAfterSec: 1, times: 1 });
    const client = new webApi.WebClient(emu.botToken, {
      slackApiUrl: emu.apiUrl,
      logger: silentLogger(),
      retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
    });
    const res = await client.chat.postMessage({ channel: 'C0OPS', text: 'after rate limit' });
    expect(res.ok).toBe(true);
    const calls = emu.callsTo('chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(fault.hits()).toBe(1);
    expect(fault.remaining()).toBe(0);
    expect(emu.messages('C0OPS').map((m) => m.text)).toEqual(['after rate limit']);
  });

  it('surfaces other faults as the matching web-api errors (retries: 0)', async () => {
    bot = await startBoltBot(emu);
    emu.injectFault({ method: 'chat.postMessage', error: 'ratelimited' });
    await expect(bot.app.client.chat.postMessage({ channel: 'C1', text: 'a' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { error: 'ratelimited' },
    });
    emu.injectFault({ method: 'chat.postMessage', status: 500 });
    await expect(bot.app.client.chat.postMessage({ channel: 'C1', text: 'b' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 500,
    });
    emu.injectFault({ method: 'chat.postMessage', status: 429, retryAfterSec: 0 });
    await expect(bot.app.client.chat.postMessage({ channel: 'C1', text: 'c' })).rejects.toThrow(/rate limit/);
    const ok = await bot.app.client.chat.postMessage({ channel: 'C1', text: 'd' });
    expect(ok.ok).toBe(true);
    expect(emu.callsTo('chat.postMessage').map((c) => c.status)).toEqual([200, 500, 429, 200]);
    expect(emu.messages('C1').map((m) => m.text)).toEqual(['d']);
  });

  it('rejects block-limit violations like Slack and records them', async () => {
    bot = await startBoltBot(emu);
    const tooMany = Array.from({ length: 51 }, (_, i) => ({
      type: 'section',
      text: { type: 'mrkdwn', text: `row ${i}` },
    }));
    await expect(bot.app.client.chat.postMessage({ channel: 'C1', text: 't', blocks: tooMany })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    const longHeader = [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }];
    const posted = await bot.app.client.chat.postMessage({ channel: 'C1', text: 'ok' });
    await expect(
      bot.app.client.chat.update({ channel: 'C1', ts: String(posted.ts), text: 'x', blocks: longHeader }),
    ).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    const huge = Array.from({ length: 8 }, () => ({
      type: 'section',
      text: { type: 'mrkdwn', text: 'x'.repeat(2000) },
    }));
    await expect(bot.app.client.chat.postMessage({ channel: 'C1', text: 't', blocks: huge })).rejects.toMatchObject({
      data: { error: 'msg_blocks_too_long' },
    });
    expect(emu.violations.map((v) => [v.method, v.error])).toEqual([
      ['chat.postMessage', 'invalid_blocks'],
      ['chat.update', 'invalid_blocks'],
      ['chat.postMessage', 'msg_blocks_too_long'],
    ]);
    expect(emu.violations[0]?.messages.join(' ')).toMatch(/no more than 50 items allowed/);
    expect(emu.violations[1]?.messages.join(' ')).toMatch(/less than 151 characters.*\/blocks\/0\/text\/text/);
    expect(() => emu.assertNoViolations()).toThrow(/3 Slack limit violation/);
    expect(emu.getMessage('C1', String(posted.ts))?.text).toBe('ok'); // the rejected update changed nothing
  });

  it('opens a modal with the trigger_id of a command (single use) and rejects a 101-block view', async () => {
    bot = await startBoltBot(emu, (app) => {
      app.command('/ytm', async ({ ack, client, body }) => {
        await ack();
        const view = {
          type: 'modal' as const,
          title: { type: 'plain_text' as const, text: 'Relink' },
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'loading…' } }],
        };
        await client.views.open({ trigger_id: body.trigger_id, view });
        await client.views.open({ trigger_id: body.trigger_id, view }).catch(() => undefined);
      });
    });
    await emu.waitForConnection(1);
    emu.pushSlashCommand({ text: 'relink' });
    const calls = await emu.waitForCalls('views.open', 2);
    expect(calls.map((c) => c.response?.error ?? 'ok')).toEqual(['ok', 'exchanged_trigger_id']);
    expect(emu.views).toHaveLength(1);
    const big = {
      type: 'home' as const,
      blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })),
    };
    await expect(bot.app.client.views.publish({ user_id: 'U1', view: big })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    expect(emu.violations.map((v) => v.method)).toEqual(['views.publish']);
  });

  it('records files.uploadV2 content end to end', async () => {
    bot = await startBoltBot(emu);
    const res = await bot.app.client.filesUploadV2({
      channel_id: 'C0OPS',
      filename: 'doctor.log',
      content: 'line 1\nline 2\n',
      title: 'doctor output',
      initial_comment: 'full log',
    });
    expect(res.ok).toBe(true);
    const up = await emu.waitForUpload((u) => u.filename === 'doctor.log');
    expect(up.text).toBe('line 1\nline 2\n');
    expect(up.declaredLength).toBe(14);
    expect(up.channelId).toBe('C0OPS');
    expect(up.title).toBe('doctor output');
    expect(emu.messages('C0OPS').map((m) => [m.text, m.files?.[0]?.name])).toEqual([['full log', 'doctor.log']]);
  });
});

// End to end: the real bot process (dist/bot/main.js) against the loopback Slack emulator and a generated
// workspace with planted faults. What Slack would show is asserted: ack payloads, response_url posts, Web API calls.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_USER, blocksText, OPS_CHANNEL, OTHER_CHANNEL, OTHER_USER, type Rig, startRig } from './harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

function ytm(text: string, who: { user_id?: string; channel_id?: string } = {}) {
  return rig.emu.pushSlashCommand({ text, user_id: ALLOWED_USER, channel_id: OPS_CHANNEL, ...who });
}

async function ackOf(text: string, who: { user_id?: string; channel_id?: string } = {}) {
  const push = ytm(text, who);
  const ack = await rig.emu.waitForAck(push.envelopeId, 3000);
  return { push, ack, text: `${String(ack.payload.text ?? '')} ${blocksText(ack.payload.blocks)}` };
}

const jobStarts = () => rig.bot.lines.filter((l) => l.msg === 'job started').length;

describe('/ytm: answers that need no job come back in the ack', () => {
  it('`/ytm help` lists the commands', async () => {
    const { ack, text } = await ackOf('help');
    expect(ack.payload.response_type).toBe('ephemeral');
    expect(text).toContain('Commands:');
    expect(text).toMatch(/doctor +storage health/);
    expect(text).toMatch(/plans +plans waiting/);
    expect(text).toMatch(/audit +the append-only audit log/);
    expect(text).toMatch(/store +copy final files/);
    // Only what works in Slack: nothing "not available yet", no terminal-only status, no `bot`.
    expect(text).not.toContain('not available yet');
    expect(text).not.toMatch(/ status +share state/);
    expect(text).not.toMatch(/ bot +start the Slack bot/);
    expect(text).toContain('`/ytm help &lt;command&gt;`');
  });

  it('an empty `/ytm` shows the help', async () => {
    const { text } = await ackOf('');
    expect(text).toContain('Commands:');
  });

  it('`/ytm help doctor` shows the usage of one command', async () => {
    const { text } = await ackOf('help doctor');
    expect(text).toContain('/ytm doctor [--json]');
    expect(text).not.toContain('Commands:');
  });

  it('an unknown word gets the closest command and the help', async () => {
    const { text } = await ackOf('doctr');
    expect(text).toContain('unknown command');
    expect(text).toContain('doctr');
    expect(text).toContain('Did you mean `/ytm doctor`?');
  });

  it('a bad flag is named, with the usage of that command', async () => {
    const { text } = await ackOf('doctor --bogus');
    expect(text).toContain('--bogus');
    expect(text).toContain('/ytm doctor [--json]');
  });

  it('a 5000-character text is refused clearly and runs nothing', async () => {
    const before = jobStarts();
    const { text } = await ackOf(`doctor ${'x'.repeat(5000)}`);
    expect(text).toContain('too long');
    expect(jobStarts()).toBe(before);
  });

  it('unicode and emoji are answered, not crashed on', async () => {
    const { text } = await ackOf('ドクター 🩺 “doctor”');
    expect(text).toContain('unknown command');
    expect(text).toContain('ドクター');
    // Still alive and answering afterwards.
    const again = await ackOf('help');
    expect(again.text).toContain('Commands:');
  });

  it('a NUL or another control character gets a clear answer in the ack, not "planning…", and runs nothing', async () => {
    const before = jobStarts();
    for (const [text, code] of [
      ['store --episode CH01-001\u0000', 'U+0000'],
      ['doctor\u0007', 'U+0007'],
      ['store --episode \u202eCH01-001', 'U+202E'],
    ] as const) {
      const { ack, text: answer } = await ackOf(text);
      expect(ack.payload.response_type).toBe('ephemeral');
      expect(answer, JSON.stringify(text)).toContain(`control character (${code})`);
      expect(answer).not.toContain('planning…');
    }
    expect(jobStarts()).toBe(before);
  });

  it('smart dashes from macOS are read as `--`', async () => {
    const { text } = await ackOf('doctor —bogus');
    expect(text).toContain('--bogus');
  });

  it('`/ytm store` acks "planning…" (a dry run for an approval card)', async () => {
    const { text } = await ackOf('store --episode CH01-001');
    expect(text).toContain('planning…');
    expect(text).toContain('dry run');
    // The plan card follows (test/e2e/approvals.test.ts covers it). Let it land, then forget its Web API call
    // so the later tests that look for "the first chat.postMessage" see their own.
    await rig.bot.waitForLog((l) => l.msg === 'plan card posted', 20_000);
    rig.emu.assertNoViolations();
    rig.emu.clearRecords();
  });

  it('`/ytm plans` and `/ytm audit` answer read-only, to the asker only', async () => {
    for (const [cmd, expected] of [
      ['plans', /\*Plans\* \(\d+\)|No plans are stored/],
      ['audit', /audit chain OK \(\d+ line\(s\)\)/],
    ] as const) {
      const push = ytm(cmd);
      const ack = await rig.emu.waitForAck(push.envelopeId, 3000);
      expect(String(ack.payload.text)).toContain(`reading \`${cmd}\``);
      const post = await rig.emu.waitForResponse((p) => p.id === push.responseUrlId, 20_000);
      expect(post.body.response_type).toBe('ephemeral');
      expect(blocksText(post.body.blocks)).toMatch(expected);
    }
    rig.emu.assertNoViolations();
  });

  it('an option that does nothing in Slack says so (`--json`)', async () => {
    const push = ytm('plans --json');
    const ack = await rig.emu.waitForAck(push.envelopeId, 3000);
    expect(String(ack.payload.text)).toContain('`--json` does nothing in Slack');
    await rig.emu.waitForResponse((p) => p.id === push.responseUrlId, 20_000);
  });

  it('a command for the terminal only points to the terminal by name and starts nothing', async () => {
    const before = jobStarts();
    const { text } = await ackOf('monitor');
    expect(text).toContain('`/ytm monitor` is for the terminal only (`ytm monitor`)');
    expect(jobStarts()).toBe(before);
  });
});

describe('/ytm: access', () => {
  it('refuses a user who is not allowed, ephemerally, and logs and audits it', async () => {
    const before = jobStarts();
    const { ack, text } = await ackOf('doctor', { user_id: OTHER_USER });
    expect(ack.payload.response_type).toBe('ephemeral');
    expect(text).toContain('not on the list');
    expect(text).toContain('YTM_SLACK_ALLOWED_USERS');
    await rig.bot.waitForLog(
      (l) => l.msg === 'slack request refused' && l.user === OTHER_USER && l.reason === 'user_not_allowed',
    );
    expect(jobStarts()).toBe(before);
    await expect
      .poll(async () => await readFile(path.join(rig.stateDir, 'audit', 'audit.jsonl'), 'utf8').catch(() => ''), {
        timeout: 3000,
      })
      .toContain(OTHER_USER);
  });

  it('refuses an allowed user in a channel that is not allowed', async () => {
    const { ack, text } = await ackOf('doctor', { channel_id: OTHER_CHANNEL });
    expect(ack.payload.response_type).toBe('ephemeral');
    expect(text).toContain('not enabled in this channel');
    expect(text).toContain(OPS_CHANNEL);
    await rig.bot.waitForLog((l) => l.msg === 'slack request refused' && l.reason === 'channel_not_allowed');
  });

  it('refuses help too for someone outside the allowlist (nothing runs, nothing leaks)', async () => {
    const { text } = await ackOf('help', { user_id: OTHER_USER });
    expect(text).toContain('not on the list');
    expect(text).not.toContain('Commands:');
  });
});

describe('/ytm doctor', () => {
  let reportTs: string;

  it('acks "checking…" at once, then posts a report naming every planted problem with its count', async () => {
    const push = ytm('doctor');
    const ack = await rig.emu.waitForAck(push.envelopeId, 3000);
    expect(String(ack.payload.text)).toContain('checking');
    const post = await rig.emu.waitForResponse(
      (p) => p.id === push.responseUrlId && p.body.response_type === 'in_channel',
      20_000,
    );
    expect(post.status).toBe(200);
    const blocks = post.body.blocks as { type: string }[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks[0]?.type).toBe('header');
    const text = blocksText(blocks);
    expect(Object.keys(rig.ws.expected).length).toBeGreaterThan(3);
    for (const [code, count] of Object.entries(rig.ws.expected)) {
      expect(text, code).toContain(`*${code}* · ${count}`);
    }
    expect(text).toContain('Storage has critical problems');
    expect(text).toContain('doctor__'); // the full JSON report's path
    expect(text).toContain('Run doctor again');
    rig.emu.assertNoViolations();
    const msg = rig.emu.messages(OPS_CHANNEL).find((m) => m.source === 'response_url' && m.blocks === post.body.blocks);
    reportTs = msg?.ts as string;
    expect(reportTs).toBeTruthy();
  });

  it('"Run doctor again" runs it again and posts a fresh report', async () => {
    const before = rig.emu.messages(OPS_CHANNEL).length;
    const click = rig.emu.pushBlockAction({
      user: ALLOWED_USER,
      channel: OPS_CHANNEL,
      message_ts: reportTs,
      action_id: 'doctor.rerun',
    });
    await rig.emu.waitForAck(click.envelopeId, 3000);
    await rig.emu.waitForResponse((p) => p.id === click.responseUrlId && p.body.response_type === 'in_channel', 20_000);
    expect(rig.emu.messages(OPS_CHANNEL).length).toBe(before + 1);
  });

  it('"Run doctor again" clicked five times at once starts one doctor, and every click gets its report', async () => {
    const doctorStarts = () =>
      rig.bot.lines.filter((l) => l.msg === 'job started' && Array.isArray(l.args) && l.args[0] === 'doctor').length;
    const before = doctorStarts();
    const clicks = [1, 2, 3, 4, 5].map(() =>
      rig.emu.pushBlockAction({
        user: ALLOWED_USER,
        channel: OPS_CHANNEL,
        message_ts: reportTs,
        action_id: 'doctor.rerun',
      }),
    );
    for (const c of clicks) {
      await rig.emu.waitForAck(c.envelopeId, 3000);
      const post = await rig.emu.waitForResponse(
        (p) => p.id === c.responseUrlId && p.body.response_type === 'in_channel',
        30_000,
      );
      expect(blocksText(post.body.blocks)).toContain('Run doctor again');
    }
    expect(doctorStarts()).toBe(before + 1);
  });

  it('"Run doctor again" from someone not allowed is refused ephemerally and runs nothing', async () => {
    const before = jobStarts();
    const click = rig.emu.pushBlockAction({
      user: OTHER_USER,
      channel: OPS_CHANNEL,
      message_ts: reportTs,
      action_id: 'doctor.rerun',
    });
    await rig.emu.waitForAck(click.envelopeId, 3000);
    const post = await rig.emu.waitForResponse((p) => p.id === click.responseUrlId, 5000);
    expect(post.body.response_type).toBe('ephemeral');
    expect(String(post.body.text)).toContain('not on the list');
    expect(jobStarts()).toBe(before);
  });

  it('a redelivered slash command envelope is acked again but runs the job once', async () => {
    const before = jobStarts();
    const push = ytm('doctor');
    await rig.emu.waitForAck(push.envelopeId, 3000);
    rig.emu.redeliver(push.envelopeId);
    const second = await rig.emu.waitForAck(push.envelopeId, 3000);
    expect(second.attempt).toBe(2);
    await rig.emu.waitForResponse((p) => p.id === push.responseUrlId && p.body.response_type === 'in_channel', 20_000);
    await rig.bot.waitForLog((l) => l.msg === 'duplicate delivery acked and dropped');
    await new Promise((r) => setTimeout(r, 500));
    expect(jobStarts()).toBe(before + 1);
    expect(rig.emu.responses(push.responseUrlId).filter((p) => p.body.response_type === 'in_channel')).toHaveLength(1);
  });

  it('a 429 on the response_url is waited out (Retry-After) and the report arrives once', async () => {
    const fault = rig.emu.injectFault({ method: 'response_url', status: 429, retryAfterSec: 1, times: 1 });
    const push = ytm('doctor');
    await rig.emu.waitForAck(push.envelopeId, 3000);
    const ok = await rig.emu.waitForResponse((p) => p.id === push.responseUrlId && p.status === 200, 20_000);
    expect(fault.hits()).toBe(1);
    const posts = rig.emu.responses(push.responseUrlId);
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    expect(ok.body.response_type).toBe('in_channel');
  });

  it('when the response_url is gone, chat.postMessage is used, and its 429 is retried: one message', async () => {
    rig.emu.injectFault({ method: 'response_url', status: 404, times: 1 });
    const postFault = rig.emu.injectFault({ method: 'chat.postMessage', status: 429, retryAfterSec: 1, times: 1 });
    const before = rig.emu.messages(OPS_CHANNEL).filter((m) => m.source === 'chat.postMessage').length;
    const push = ytm('doctor');
    await rig.emu.waitForAck(push.envelopeId, 3000);
    const call = await rig.emu.waitForCall('chat.postMessage', (c) => c.status === 200, 20_000);
    expect(postFault.hits()).toBe(1);
    const calls = rig.emu.callsTo('chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(blocksText(call.body.blocks)).toContain('Run doctor again');
    expect(rig.emu.messages(OPS_CHANNEL).filter((m) => m.source === 'chat.postMessage').length).toBe(before + 1);
  });
});

describe('App Home', () => {
  it('publishes what the bot can do and the last doctor verdict', async () => {
    rig.emu.pushEvent({ type: 'app_home_opened', user: ALLOWED_USER, channel: 'D0HOME0001', tab: 'home' });
    const call = await rig.emu.waitForCall('views.publish', (c) => c.body.user_id === ALLOWED_USER, 5000);
    expect(call.response?.ok).toBe(true);
    const text = blocksText((call.body.view as { blocks: unknown }).blocks);
    expect(text).toContain('/ytm doctor');
    expect(text).toContain('Last doctor');
    expect(text).toContain('critical');
    // The last report's problems (info findings such as VIDEO_RUN_MISSING are left out).
    for (const code of Object.keys(rig.ws.expected).filter((c) => c !== 'VIDEO_RUN_MISSING')) {
      expect(text, code).toContain(`${code} (${rig.ws.expected[code]})`);
    }
  });
});

describe('every envelope', () => {
  it('was acknowledged (each delivery, including redeliveries)', () => {
    const envelopes = rig.emu.envelopes;
    expect(envelopes.length).toBeGreaterThan(20);
    expect(rig.emu.unackedEnvelopes().map((e) => e.envelopeId)).toEqual([]);
    const latencies = rig.emu.acks.map((a) => a.latencyMs).sort((a, b) => a - b);
    // Reported, not asserted (timed assertions do not belong in tests).
    console.info(
      `ack latency over ${latencies.length} acks: p50 ${latencies[Math.floor(latencies.length / 2)]?.toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`,
    );
  });
});

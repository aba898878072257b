/**
 * The emulator over raw HTTP/WebSocket (no Bolt): body formats, token rules, store semantics,
 * response_url limits, tickets, and the wait helpers' failure messages.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SlackEmulator } from './emulator.js';

let emu: SlackEmulator;

beforeEach(async () => {
  emu = await SlackEmulator.start({ channels: { C0PRIV: { is_private: true, is_member: false } } });
});

afterEach(async () => {
  await emu.stop();
});

/** `token: null` sends no Authorization header. */
async function form(method: string, fields: Record<string, string>, token: string | null = emu.botToken) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${emu.apiUrl}${method}`, { method: 'POST', headers, body: new URLSearchParams(fields) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function jsonCall(method: string, body: unknown, token = emu.botToken) {
  const res = await fetch(`${emu.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Web API surface', () => {
  it('parses form bodies (JSON strings inside fields) and JSON bodies the same way', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];
    const a = await form('chat.postMessage', { channel: 'C1', text: 'form', blocks: JSON.stringify(blocks) });
    const b = await jsonCall('chat.postMessage', { channel: 'C1', text: 'json', blocks });
    expect(a.body.ok).toBe(true);
    expect(b.body.ok).toBe(true);
    const [ca, cb] = emu.callsTo('chat.postMessage');
    expect(ca?.contentType).toBe('form');
    expect(cb?.contentType).toBe('json');
    expect(ca?.body.blocks).toEqual(blocks);
    expect(cb?.body.blocks).toEqual(blocks);
    expect(String(a.body.ts) < String(b.body.ts)).toBe(true);
  });

  it('enforces token types: xapp only for apps.connections.open, xoxb for the rest', async () => {
    expect((await form('apps.connections.open', {}, emu.botToken)).body.error).toBe('not_allowed_token_type');
    expect((await form('chat.postMessage', { channel: 'C1', text: 'x' }, emu.appToken)).body.error).toBe(
      'not_allowed_token_type',
    );
    expect((await form('auth.test', {}, 'xoxb-someone-else')).body.error).toBe('invalid_auth');
    expect((await form('auth.test', {}, null)).body.error).toBe('not_authed');
    const open = await form('apps.connections.open', {}, emu.appToken);
    expect(open.body.ok).toBe(true);
    expect(open.body.url).toMatch(/\/link\/\?ticket=\d+$/);
  });

  it('answers unknown methods with 200 unknown_method and records them', async () => {
    const r = await form('admin.teams.create', { name: 'x' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: false, error: 'unknown_method' });
    expect(emu.callsTo('admin.teams.create')).toHaveLength(1);
  });

  it('keeps messages by channel+ts: update edits, delete hides, wrong ts is message_not_found', async () => {
    const p = await form('chat.postMessage', { channel: 'C1', text: 'v1' });
    const ts = String(p.body.ts);
    expect((await form('chat.update', { channel: 'C1', ts, text: 'v2' })).body.ok).toBe(true);
    expect(emu.getMessage('C1', ts)?.text).toBe('v2');
    expect((await form('chat.update', { channel: 'C2', ts, text: 'v3' })).body.error).toBe('message_not_found');
    expect((await form('chat.update', { channel: 'C1', ts: '1.000001', text: 'v3' })).body.error).toBe(
      'message_not_found',
    );
    expect((await form('chat.delete', { channel: 'C1', ts })).body.ok).toBe(true);
    expect(emu.messages('C1')).toHaveLength(0);
    expect(emu.messages('C1', true)).toHaveLength(1);
    expect((await form('chat.postMessage', { channel: 'C1' })).body.error).toBe('no_text');
    expect((await form('chat.postMessage', { channel: 'C0PRIV', text: 'x' })).body.error).toBe('not_in_channel');
  });

  it('serves conversations.info, users.info, chat.postEphemeral and views.update hash checks', async () => {
    const info = await form('conversations.info', { channel: 'C9' });
    expect(info.body.channel).toMatchObject({ id: 'C9', is_member: true });
    expect(((await form('users.info', { user: 'U7' })).body.user as Record<string, unknown>).id).toBe('U7');
    const eph = await form('chat.postEphemeral', { channel: 'C1', user: 'U7', text: 'psst' });
    expect(eph.body.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(emu.ephemerals.map((e) => e.text)).toEqual(['psst']);
    const trigger = emu.issueTriggerId();
    const view = { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] };
    const opened = await jsonCall('views.open', { trigger_id: trigger, view });
    const v = opened.body.view as { id: string; hash: string };
    expect((await jsonCall('views.update', { view_id: v.id, hash: 'stale', view })).body.error).toBe('hash_conflict');
    expect((await jsonCall('views.update', { view_id: v.id, hash: v.hash, view })).body.ok).toBe(true);
    expect(emu.getView(v.id)?.history).toHaveLength(1);
  });

  it('expires trigger_ids after triggerTtlMs', async () => {
    const short = await SlackEmulator.start({ triggerTtlMs: 20 });
    try {
      const trigger = short.issueTriggerId();
      await new Promise((r) => setTimeout(r, 40));
      const res = await fetch(`${short.apiUrl}views.open`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${short.botToken}` },
        body: JSON.stringify({
          trigger_id: trigger,
          view: { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] },
        }),
      });
      expect(((await res.json()) as { error?: string }).error).toBe('expired_trigger_id');
    } finally {
      await short.stop();
    }
  });

  it('sends 429 with a Retry-After header, for `times` requests only', async () => {
    emu.injectFault({ method: 'auth.test', status: 429, retryAfterSec: 7, times: 2 });
    const r1 = await form('auth.test', {});
    const r2 = await form('auth.test', {});
    const r3 = await form('auth.test', {});
    expect([r1.status, r2.status, r3.status]).toEqual([429, 429, 200]);
    expect(r1.headers.get('retry-after')).toBe('7');
    expect(emu.callsTo('auth.test').map((c) => c.fault?.status ?? null)).toEqual([429, 429, null]);
  });

  it('waitForCall rejects with a list of what was received', async () => {
    await form('auth.test', {});
    await form('chat.postMessage', { channel: 'C1', text: 'x' });
    await expect(emu.waitForCall('chat.update', undefined, 50)).rejects.toThrow(
      /waitForCall\(chat\.update\): timed out after 50 ms\. Received: auth\.test×1, chat\.postMessage×1/,
    );
    await expect(emu.waitForConnection(1, 50)).rejects.toThrow(/connections: none; apps\.connections\.open calls: 0/);
  });
});

describe('response_url', () => {
  it('allows 5 posts per url, then 404 used_url; in_channel posts become channel messages', async () => {
    // A socket is needed to push the envelope that carries the url.
    const open = await form('apps.connections.open', {}, emu.appToken);
    const ws = new WebSocket(String(open.body.url));
    const hello = await new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
    expect(JSON.parse(hello)).toMatchObject({
      type: 'hello',
      num_connections: 1,
      connection_info: { app_id: emu.appId },
    });
    await emu.waitForConnection(1);
    const push = emu.pushSlashCommand({ channel_id: 'C5', text: 'doctor' });
    const url = String(push.responseUrl);
    expect(url).toBe(`${emu.baseUrl}/response/${push.responseUrlId}`);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `r${i}`, response_type: i === 0 ? 'in_channel' : 'ephemeral' }),
      });
      statuses.push(res.status);
      if (i === 5) expect(await res.json()).toEqual({ ok: false, error: 'used_url' });
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(emu.responses(push.responseUrlId).map((p) => p.effect)).toEqual([
      'in_channel',
      'ephemeral',
      'ephemeral',
      'ephemeral',
      'ephemeral',
      'rejected',
    ]);
    expect(emu.messages('C5').map((m) => m.text)).toEqual(['r0']);
    ws.close();
    await emu.waitForClose(1);
  });

  it('acks from a raw client are recorded with latency; tickets are single-use', async () => {
    const open = await form('apps.connections.open', {}, emu.appToken);
    const url = String(open.body.url);
    const ws = new WebSocket(url);
    ws.on('message', (d) => {
      const frame = JSON.parse(d.toString()) as { envelope_id?: string };
      if (frame.envelope_id) ws.send(JSON.stringify({ envelope_id: frame.envelope_id, payload: { text: 'ok' } }));
    });
    await emu.waitForConnection(1);
    const push = emu.pushEnvelope('events_api', { type: 'event_callback', event: { type: 'app_home_opened' } });
    const ack = await emu.waitForAck(push.envelopeId);
    expect(ack.payload).toEqual({ text: 'ok' });
    expect(Number.isNaN(ack.latencyMs)).toBe(false);
    const reused = new WebSocket(url);
    const err = await new Promise<string>((resolve) => reused.once('error', (e) => resolve(e.message)));
    expect(err).toMatch(/401/);
    expect(emu.connections).toHaveLength(1);
    ws.close();
    await emu.waitForClose(1);
  });
});

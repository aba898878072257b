// The browser sandbox's HTTP side without a browser: what it serves, what it refuses (another Host, a POST that is
// not JSON, a path outside its scripts), the fault API changing the workspace, and the server-sent state that
// follows every change.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorkspace } from '../../fixtures/workspace.js';
import { SlackEmulator } from '../../slack/emulator.js';
import { SandboxFaults } from './faults.js';
import { attachSandboxWeb, type SandboxWeb } from './server.js';

const OPS = { id: 'C0OPS00001', name: 'ytm-ops', purpose: 'commands' };
const ALERTS = { id: 'C0ALERTS01', name: 'ytm-alerts', purpose: 'alerts' };
let dir: string;
let share: string;
let emu: SlackEmulator;
let faults: SandboxFaults;
let web: SandboxWeb;

function get(p: string, host?: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: emu.port, path: p, headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const post = (p: string, body: unknown, type = 'application/json') =>
  fetch(`${emu.baseUrl}${p}`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });

/** The next `state` event on the page's stream that satisfies `pred`. */
async function nextState(pred: (s: { faults: { share: string } }) => boolean): Promise<{ faults: { share: string } }> {
  const ctrl = new AbortController();
  const res = await fetch(`${emu.baseUrl}/sandbox/events`, { signal: ctrl.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buf += decoder.decode(value, { stream: true });
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = /^event: state\ndata: (.*)$/s.exec(frame)?.[1];
        if (data && pred(JSON.parse(data))) return JSON.parse(data);
      }
    }
  } finally {
    ctrl.abort();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ytm-sandbox-web-'));
  const ws = await generateWorkspace({ dir: path.join(dir, 'ws'), faults: false, channels: 1, episodesPerChannel: 3 });
  share = ws.paths.share;
  emu = await SlackEmulator.start();
  faults = await SandboxFaults.open({
    env: { ...ws.env, YTM_STATE_DIR: path.join(dir, 'state') },
    envFile: path.join(dir, 'sandbox.env'),
  });
  web = attachSandboxWeb(emu, { user: { id: 'U0ME', name: 'me' }, channels: [OPS, ALERTS], faults });
}, 60_000);

afterAll(async () => {
  web?.close();
  await faults?.close();
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser sandbox server', () => {
  it('serves the page, its style and its compiled scripts, nothing else', async () => {
    const page = await get('/sandbox/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="/sandbox/js/client/main.js">');
    expect((await get('/sandbox/style.css')).body).toContain('.bk-button');
    const script = await get('/sandbox/js/client/main.js');
    expect([script.status, script.type]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(script.body).toContain("from '../blockkit.js'");
    expect((await get('/sandbox/js/blockkit.js')).body).toContain('renderBlocksHtml');
    expect((await get('/sandbox/js/faults.ts')).status).toBe(404);
    expect((await get('/sandbox/js/..%2f..%2f..%2fpackage.json')).status).toBe(404);
    expect(web.url).toBe(`${emu.baseUrl}/sandbox/`);
  });

  it('answers only requests addressed to 127.0.0.1 or localhost (no DNS rebinding)', async () => {
    expect((await get('/sandbox/api/state', 'evil.example')).status).toBe(421);
    expect((await get('/sandbox/api/state', `evil.example:${emu.port}`)).status).toBe(421);
    expect((await get('/sandbox/api/state', `localhost:${emu.port}`)).status).toBe(200);
  });

  it('takes only JSON posts, so a cross-site form cannot flip a fault', async () => {
    const form = await post('/sandbox/api/fault', { kind: 'share', value: 'stub' }, 'text/plain');
    expect(form.status).toBe(415);
    expect(faults.state().share).toBe('up');
    const unknown = await (await post('/sandbox/api/fault', { kind: 'share', value: 'gone' })).json();
    expect(unknown).toMatchObject({ ok: false, error: 'unknown fault share=gone' });
    const noButton = await (await post('/sandbox/api/action', { key: 'm:C0OPS00001:1.0', actionId: 'x' })).json();
    expect(noButton).toEqual({ ok: false, error: 'no such message or button' });
    expect((await post('/sandbox/api/nothing', {})).status).toBe(404);
  });

  it('a fault flipped through the API changes the workspace and reaches the page as a new state', async () => {
    const seen = nextState((s) => s.faults.share === 'stub');
    const answer = await (await post('/sandbox/api/fault', { kind: 'share', value: 'stub' })).json();
    expect(answer).toMatchObject({ ok: true, faults: { share: 'stub' } });
    expect(readFileSync(path.join(share, 'README_MOUNTPOINT.txt'), 'utf8').length).toBeGreaterThan(0);
    await seen;
    await post('/sandbox/api/fault', { kind: 'share', value: 'up' });
    expect(existsSync(path.join(share, 'README_MOUNTPOINT.txt'))).toBe(false);
  });

  it('a message the bot posts is in the next state, in the channel it was posted to', async () => {
    const res = await fetch(`${emu.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: ALERTS.id, text: 'Share down', blocks: [{ type: 'divider' }] }),
    });
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    const state = (await (await fetch(`${emu.baseUrl}/sandbox/api/state`)).json()) as {
      items: { kind: string; channel: string; text: string }[];
    };
    expect(state.items).toContainEqual(
      expect.objectContaining({ kind: 'message', channel: ALERTS.id, text: 'Share down' }),
    );
  });
});

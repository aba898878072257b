// The heartbeat pinger against msw (no network): the request it sends, retries on 5xx and network errors but not
// on a 404, a time-out per attempt, `/fail` after a failed monitor run, no overlapping pings, and a stop that ends
// the ping in flight. Logs never carry the URL's path (a ping URL's path is its secret).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failUrl, ping, redactUrl, startHeartbeat } from '../../bot/heartbeat.js';
import { loadConfig } from '../../lib/config.js';
import { type MiniWorkspace, miniWorkspace } from '../jobs/support/workspace.js';
import { entry, SCRIPTED_CHILD, type SchedulerRig, schedulerRig } from './schedule-support/rig.js';

const SECRET = '3f2a9c1e-7b4d-4e8a-9c61-0d5b2e7f1a93';
const URL_ = `https://hc-ping.example/${SECRET}`;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let logged: string[];
let log: pino.Logger;
beforeEach(() => {
  logged = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logged.push(String(chunk));
      done();
    },
  });
  log = pino({ level: 'info' }, sink);
});

/** The ping URL takes requests and never answers; counts them. */
function hangingEndpoint() {
  let n = 0;
  server.use(
    http.post(URL_, async () => {
      n += 1;
      await delay('infinite');
      return new HttpResponse('OK');
    }),
  );
  return { requests: () => n };
}

const fast = (over: Partial<Parameters<typeof ping>[1]> = {}) => ({
  timeoutMs: 2_000,
  retries: 2,
  retryDelayMs: 5,
  body: 'ytm-ops bot: last monitor ok',
  log,
  ...over,
});

describe('YTM_HEARTBEAT_URL', () => {
  const base = { YTM_ENV_FILE: '/nonexistent/.env', YTM_WORKSPACE_ROOT: '/tmp/ws' };
  it('is optional, and an http(s) URL when set; a bad one is named without echoing it', () => {
    const off = loadConfig(base);
    expect(off.ok && off.config.YTM_HEARTBEAT_URL).toBeNull();
    const on = loadConfig({ ...base, YTM_HEARTBEAT_URL: URL_ });
    expect(on.ok && on.config.YTM_HEARTBEAT_URL).toBe(URL_);
    const bad = loadConfig({ ...base, YTM_HEARTBEAT_URL: `ftp://hc-ping.example/${SECRET}` });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.name)).toEqual(['YTM_HEARTBEAT_URL']);
    expect(JSON.stringify(bad.problems)).not.toContain(SECRET);
  });
});

describe('heartbeat ping', () => {
  it('POSTs a short text body to the URL and succeeds on the first 2xx', async () => {
    const seen: { method: string; type: string | null; body: string }[] = [];
    server.use(
      http.all(URL_, async ({ request }) => {
        seen.push({ method: request.method, type: request.headers.get('content-type'), body: await request.text() });
        return new HttpResponse('OK', { status: 200 });
      }),
    );
    expect(await ping(URL_, fast())).toEqual({ ok: true, attempts: 1, status: 200 });
    expect(seen).toEqual([{ method: 'POST', type: 'text/plain; charset=utf-8', body: 'ytm-ops bot: last monitor ok' }]);
    expect(logged).toEqual([]);
  });

  it('retries 5xx and network errors, then succeeds', async () => {
    let n = 0;
    server.use(
      http.post(URL_, () => {
        n += 1;
        if (n === 1) return new HttpResponse(null, { status: 503 });
        if (n === 2) return HttpResponse.error();
        return new HttpResponse('OK');
      }),
    );
    expect(await ping(URL_, fast())).toMatchObject({ ok: true, attempts: 3 });
    expect(n).toBe(3);
  });

  it('does not retry a 404 and logs the failure without the URL path', async () => {
    let n = 0;
    server.use(
      http.post(URL_, () => {
        n += 1;
        return new HttpResponse('not found', { status: 404 });
      }),
    );
    expect(await ping(URL_, fast())).toEqual({ ok: false, attempts: 1, status: 404, error: 'HTTP 404' });
    expect(n).toBe(1);
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0] as string)).toMatchObject({ url: 'https://hc-ping.example/…', attempts: 1 });
    expect(logged.join('')).not.toContain(SECRET);
  });

  it('gives each attempt a timeout, retries, and logs the failure without the secret', async () => {
    const hanging = hangingEndpoint();
    expect(await ping(URL_, fast({ timeoutMs: 100, retries: 1 }))).toEqual({
      ok: false,
      attempts: 2,
      error: 'no answer within 100 ms',
    });
    expect(hanging.requests()).toBe(2);
    expect(logged.join('')).not.toContain(SECRET);
    expect(logged.join('')).toContain('no answer within 100 ms');
  });

  it('redacts any URL to its origin and builds the /fail URL', () => {
    expect(redactUrl(`${URL_}?rid=abc`)).toBe('https://hc-ping.example/…');
    expect(failUrl(URL_)).toBe(`${URL_}/fail`);
    expect(failUrl(`${URL_}/`)).toBe(`${URL_}/fail`);
  });
});

/** Pings as soon as the ping in flight (if any) has ended. */
async function tickWhenFree(hb: ReturnType<typeof startHeartbeat>) {
  for (;;) {
    const r = await hb.tick();
    if (r !== 'busy') return r;
    await new Promise((res) => setTimeout(res, 10));
  }
}

describe('heartbeat schedule', () => {
  let w: MiniWorkspace;
  let rig: SchedulerRig | undefined;
  beforeEach(() => {
    w = miniWorkspace({ prefix: 'ytm-heartbeat-' });
  });
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
    rmSync(w.dir, { recursive: true, force: true });
  });

  it('pings the URL, and URL/fail once the last monitor run failed', async () => {
    const hits: string[] = [];
    server.use(
      http.post(URL_, () => {
        hits.push('ok');
        return new HttpResponse('OK');
      }),
      http.post(`${URL_}/fail`, () => {
        hits.push('fail');
        return new HttpResponse('OK');
      }),
    );
    const script = path.join(w.dir, 'script.json');
    writeFileSync(script, JSON.stringify({ exitCode: 1, data: { error: 'share hung' } }));
    mkdirSync(path.join(w.dir, 'pids'));
    let started: ReturnType<typeof startHeartbeat> | undefined;
    // Wired before the rig's own listener, as bot/main.ts wires it: it has seen a result when the rig has.
    rig = schedulerRig(w.env, [entry({ name: 'monitor', command: ['monitor'] })], {
      cliPath: SCRIPTED_CHILD,
      childEnv: { SCRIPT_FILE: script, PID_DIR: path.join(w.dir, 'pids') },
      wire: (_deps, scheduler) => {
        started = startHeartbeat({ url: URL_, intervalSec: 3600, log, scheduler, options: fast() });
      },
    });
    const hb = started as ReturnType<typeof startHeartbeat>;
    try {
      // The first ping goes at start, before any monitor ran.
      expect(await tickWhenFree(hb)).toMatchObject({ ok: true });
      expect(hits).toEqual(['ok', 'ok']);
      await rig.scheduler.start();
      await rig.waitFor((r) => r.outcome === 'failed');
      expect(await tickWhenFree(hb)).toMatchObject({ ok: true });
      expect(hits.at(-1)).toBe('fail');
    } finally {
      hb.stop();
    }
  });

  it('never overlaps pings, and stop() ends the one in flight without a retry or a log line', async () => {
    const hanging = hangingEndpoint();
    rig = schedulerRig(w.env, []);
    const hb = startHeartbeat({
      url: URL_,
      intervalSec: 3600,
      log,
      scheduler: rig.scheduler,
      options: fast({ timeoutMs: 60_000 }),
    });
    // The start-up ping hangs; the event loop is free and a second ping is refused, not stacked.
    await new Promise((r) => setImmediate(r));
    expect(await hb.tick()).toBe('busy');
    hb.stop();
    // The start-up ping ends (its 60 s timeout is far away): a new tick is no longer 'busy', and being stopped
    // it sends nothing.
    expect(await tickWhenFree(hb)).toEqual({ ok: false, attempts: 0, error: 'stopped' });
    expect(hanging.requests()).toBe(1);
    expect(logged).toEqual([]);
  });
});

// Dead-man's switch (healthchecks.io style): every YTM_MONITOR_INTERVAL_SEC the bot pings YTM_HEARTBEAT_URL, so
// an outside monitor notices when the bot is dead, asleep or wedged. When the last run of the `monitor` job
// failed or timed out it pings `<URL>/fail` instead. Each ping has a timeout and a small retry; failures are
// logged without the URL's path or query (a ping URL's path is its secret) and are never fatal. Pings never
// overlap, the timer is unref'd, and the work is a fetch on the event loop: nothing here can delay an ack.
import { hostname } from 'node:os';
import type { Logger } from '../lib/log.js';
import type { Scheduler } from './schedule/scheduler.js';

export interface PingOptions {
  timeoutMs: number;
  /** Attempts after the first one, for network errors, time-outs, 429 and 5xx. */
  retries: number;
  /** Wait before retry n (1-based): retryDelayMs * n. */
  retryDelayMs: number;
  body: string;
  log: Logger;
  /** Aborted on shutdown: the ping in flight ends and no retry follows. */
  signal?: AbortSignal;
}

type PingTuning = Pick<PingOptions, 'timeoutMs' | 'retries' | 'retryDelayMs'>;

export const HEARTBEAT_DEFAULTS: PingTuning = { timeoutMs: 10_000, retries: 2, retryDelayMs: 2_000 };

export interface PingResult {
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

/** `https://hc-ping.com/…`: enough to know which service, nothing of the token in the path or query. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(unparsable URL)';
  }
}

export function failUrl(url: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/fail`;
  return u.href;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** One ping with retries. Never throws. */
export async function ping(url: string, opts: PingOptions): Promise<PingResult> {
  let last: Pick<PingResult, 'status' | 'error'> = {};
  let attempts = 0;
  for (let attempt = 0; attempt <= opts.retries; attempt++) {
    if (attempt > 0) await sleep(opts.retryDelayMs * attempt);
    if (opts.signal?.aborted) break;
    attempts += 1;
    try {
      const res = await fetch(url, {
        method: 'POST',
        body: opts.body,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'user-agent': 'ytm-ops-bot' },
        signal: AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])]),
      });
      // The answer's body is not needed; cancelled, not awaited (a body that never ends must not hold the ping).
      res.body?.cancel().catch(() => {});
      if (res.ok) return { ok: true, attempts, status: res.status };
      last = { status: res.status, error: `HTTP ${res.status}` };
      if (res.status < 500 && res.status !== 429) break; // a wrong URL does not get better by asking again
    } catch (err) {
      const e = err as Error;
      const message = e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : e.message;
      last = { error: message.split(url).join(redactUrl(url)) };
    }
  }
  if (opts.signal?.aborted) return { ok: false, attempts, error: 'stopped' }; // shutting down: nothing to report
  opts.log.warn({ url: redactUrl(url), attempts, ...last }, 'heartbeat ping failed');
  return { ok: false, attempts, ...last };
}

export interface HeartbeatDeps {
  url: string;
  intervalSec: number;
  log: Logger;
  scheduler: Scheduler;
  options?: Partial<PingTuning>;
}

/** Starts the pinger (first ping at once). `stop` ends the timer and the ping in flight; `tick` pings now. */
export function startHeartbeat(deps: HeartbeatDeps): { stop: () => void; tick: () => Promise<PingResult | 'busy'> } {
  const opts = { ...HEARTBEAT_DEFAULTS, ...deps.options };
  let monitor = 'not run yet';
  let failed = false;
  if (deps.scheduler.has('monitor')) {
    deps.scheduler.on('monitor', (r) => {
      if (r.outcome === 'skipped-overlap') return;
      failed = r.outcome === 'failed' || r.outcome === 'timeout';
      monitor = `${r.outcome} at ${r.finishedAt}`;
    });
  }
  let inFlight = false;
  const stopped = new AbortController();
  const tick = async (): Promise<PingResult | 'busy'> => {
    if (inFlight) return 'busy';
    inFlight = true;
    try {
      const body = `ytm-ops bot on ${hostname()}: last monitor ${monitor}`;
      return await ping(failed ? failUrl(deps.url) : deps.url, {
        ...opts,
        body,
        log: deps.log,
        signal: stopped.signal,
      });
    } finally {
      inFlight = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), deps.intervalSec * 1000);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      stopped.abort();
    },
    tick,
  };
}

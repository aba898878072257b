// Socket Mode can go quiet without an error: a socket that stops delivering (bolt-js #1061, #1906) or a
// half-open one after the Mac slept (it still looks OPEN). The watchdog forces a fresh connection when no
// Socket Mode message arrived for `silenceMs`, and at once when a timer fires much later than planned (the
// wall clock jumped: sleep/wake). It only acts on a connection it believes is up; when the library is already
// reconnecting (after a drop or a `disconnect` envelope) that reconnect is left alone.
import type { SocketModeClient } from '@slack/socket-mode';
import type { Logger } from '../lib/log.js';

export interface WatchdogOptions {
  silenceMs: number;
  wakeJumpMs: number;
  log: Logger;
  now?: () => number;
}

type LinkState = 'starting' | 'connected' | 'down';

export class ConnectionWatchdog {
  private state: LinkState = 'starting';
  private lastInbound: number;
  private lastTick: number;
  private timer: NodeJS.Timeout | undefined;
  private reconnecting: Promise<void> | undefined;
  private readonly now: () => number;
  readonly tickMs: number;
  /** How many reconnects the watchdog forced, by reason (for logs and tests). */
  readonly forced = { silence: 0, wake: 0 };

  constructor(
    private readonly client: SocketModeClient,
    private readonly opts: WatchdogOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.lastInbound = this.now();
    this.lastTick = this.now();
    const candidates = [opts.silenceMs / 4, opts.wakeJumpMs / 2].filter((n) => n > 0);
    this.tickMs = Math.round(Math.min(10_000, Math.max(250, Math.min(...candidates, 10_000))));
    client.on('connected', () => {
      this.state = 'connected';
      this.lastInbound = this.now();
    });
    client.on('ws_message', () => {
      this.lastInbound = this.now();
    });
    for (const ev of ['close', 'disconnected', 'reconnecting', 'connecting', 'disconnecting']) {
      client.on(ev, () => {
        if (ev === 'connecting' || ev === 'reconnecting') this.state = 'starting';
        else this.state = 'down';
      });
    }
  }

  start(): void {
    if (this.timer || (this.opts.silenceMs <= 0 && this.opts.wakeJumpMs <= 0)) return;
    this.lastTick = this.now();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a reconnect the watchdog started (stopping mid-reconnect trips socket-mode 3.1.0). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.reconnecting) await this.reconnecting.catch(() => {});
  }

  /** One check; public so a test can drive it with its own clock. */
  tick(): void {
    const t = this.now();
    const late = t - this.lastTick - this.tickMs;
    this.lastTick = t;
    if (this.opts.wakeJumpMs > 0 && late > this.opts.wakeJumpMs) {
      this.opts.log.warn({ lateMs: late }, 'watchdog: timers fired late (the machine slept?); forcing a reconnect');
      this.force('wake');
      return;
    }
    const quietMs = t - this.lastInbound;
    if (this.opts.silenceMs > 0 && this.state === 'connected' && quietMs > this.opts.silenceMs) {
      this.opts.log.warn({ quietMs }, 'watchdog: no Socket Mode message for too long; forcing a reconnect');
      this.force('silence');
    }
  }

  private force(reason: 'silence' | 'wake'): void {
    if (this.reconnecting) return;
    if (this.state !== 'connected') {
      this.opts.log.info({ reason, state: this.state }, 'watchdog: a reconnect is already under way');
      return;
    }
    this.forced[reason] += 1;
    this.reconnecting = this.reconnect(reason).finally(() => {
      this.reconnecting = undefined;
    });
  }

  private async reconnect(reason: string): Promise<void> {
    const client = this.client;
    const started = this.now();
    try {
      const closed = client.disconnect();
      // A half-open socket never answers the close frame; a second disconnect on a CLOSING socket cleans up at once.
      const nudge = setTimeout(() => client.websocket?.disconnect(), 1_000);
      await closed;
      clearTimeout(nudge);
      await client.start();
      this.lastInbound = this.now();
      this.opts.log.info({ reason, ms: this.now() - started }, 'watchdog: reconnected');
    } catch (err) {
      this.opts.log.error({ reason, err: (err as Error)?.message }, 'watchdog: reconnect failed');
      this.lastInbound = this.now();
    }
  }
}

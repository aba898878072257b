/**
 * Start a real in-process Bolt app (Socket Mode, wiring B of slack-testing-notes.md) against a SlackEmulator.
 * Teardown: `await bot.stop()` (app first) and only then `await emu.stop()`.
 */
import { App, type Logger, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { SlackEmulator } from './emulator.js';

export interface CapturingLogger extends Logger {
  /** `warn`/`error` lines (debug/info are dropped). */
  readonly lines: string[];
}

/** A logger that prints nothing and keeps warn/error lines. getLevel() is ERROR, so socket-mode skips debug strings. */
export function silentLogger(): CapturingLogger {
  const lines: string[] = [];
  const fmt = (msg: unknown[]): string => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    lines,
    debug: () => {},
    info: () => {},
    warn: (...msg: unknown[]) => {
      lines.push(`[warn] ${fmt(msg)}`);
    },
    error: (...msg: unknown[]) => {
      lines.push(`[error] ${fmt(msg)}`);
    },
    setLevel: () => {},
    getLevel: () => LogLevel.ERROR,
    setName: () => {},
  };
}

export interface InProcessBot {
  app: App;
  receiver: SocketModeReceiver;
  logger: CapturingLogger;
  stop(): Promise<void>;
}

export interface StartBotOptions {
  /** Socket-mode ping timeout, which also sets the reconnect delay (default 500 ms → ~0.5 s reconnects). */
  clientPingTimeout?: number;
  /** Web API retries for app.client (default 0, see notes gotcha 3). */
  retries?: number;
}

/** Build the App, let `register` add listeners, then `app.start()` (resolves once `hello` is processed). */
export async function startBoltBot(
  emu: SlackEmulator,
  register: (app: App) => void = () => {},
  opts: StartBotOptions = {},
): Promise<InProcessBot> {
  const logger = silentLogger();
  const receiver = new SocketModeReceiver({
    appToken: emu.appToken,
    clientPingTimeout: opts.clientPingTimeout ?? 500,
    logger,
    installerOptions: { clientOptions: { slackApiUrl: emu.apiUrl } },
  });
  const app = new App({
    token: emu.botToken,
    receiver,
    logger,
    clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: opts.retries ?? 0 } },
  });
  register(app);
  await app.start();
  let stopped = false;
  return {
    app,
    receiver,
    logger,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.stop();
    },
  };
}

// The Bolt app: Socket Mode through an explicit receiver (tuned ping timeouts), one SLACK_API_URL for the Web
// API and apps.connections.open, our logger, the dedupe middleware and every listener.
// Named imports only: under Node ESM the default export of @slack/bolt is the module object, not App.
// clientOptions.headers is never set: socket-mode would send the bot token to apps.connections.open (gotcha 2).
import { type AnyMiddlewareArgs, App, type Middleware, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { registerAlertPlanAction } from './actions/alert-plan.js';
import { registerAlertSilenceAction } from './actions/alert-silence.js';
import { registerDoctorRerunAction } from './actions/doctor-rerun.js';
import { registerOutboxPlanFlushAction } from './actions/outbox-plan-flush.js';
import { registerPlanApproveAction } from './actions/plan-approve.js';
import { registerPlanCancelAction } from './actions/plan-cancel.js';
import { registerPlanReplanAction } from './actions/plan-replan.js';
import { registerRelinkUseDraftAction } from './actions/relink-use-draft.js';
import { AlertService } from './alerts/service.js';
import { registerYtmCommand } from './commands/ytm.js';
import { dedupeKeys, SeenSet } from './dedupe.js';
import type { BotDeps } from './deps.js';
import { registerAppHomeOpened } from './events/app-home-opened.js';
import { boltLogger } from './logger.js';
import { ConnectionWatchdog } from './watchdog.js';

/** Redelivered envelopes are remembered this long (Slack retries up to ~5 min after the first attempt). */
export const DEDUPE_TTL_MS = 15 * 60_000;

export interface Bot {
  app: App;
  receiver: SocketModeReceiver;
  watchdog: ConnectionWatchdog;
  seen: SeenSet;
  alerts: AlertService;
}

export function createBot(deps: BotDeps, tokens: { botToken: string; appToken: string }): Bot {
  const logger = boltLogger(deps.log);
  const slackApiUrl = deps.config.SLACK_API_URL ?? 'https://slack.com/api/';

  // Listener calls (chat.*, views.*): a few retries. web-api waits out a 429's Retry-After before retrying,
  // and retries 5xx and network errors with back-off; a 200 with ok:false is never retried.
  const appClientOptions: WebClientOptions = {
    slackApiUrl,
    timeout: 15_000,
    retryConfig: { retries: 4, factor: 2, minTimeout: 250, maxTimeout: 8_000, randomize: true },
  };
  // apps.connections.open: keep trying through a Wi-Fi outage (socket-mode gives up on an HTTP/network error
  // that escapes the client's own retries). A separate object: Bolt and socket-mode both mutate theirs.
  const socketClientOptions: WebClientOptions = {
    slackApiUrl,
    timeout: 15_000,
    retryConfig: { retries: 100_000, factor: 1.5, minTimeout: 500, maxTimeout: 30_000, randomize: true },
  };

  const receiver = new SocketModeReceiver({
    appToken: tokens.appToken,
    logger,
    clientPingTimeout: deps.settings.clientPingTimeoutMs,
    serverPingTimeout: deps.settings.serverPingTimeoutMs,
    installerOptions: { clientOptions: socketClientOptions },
    // Becomes context.socketEnvelopeId (retryNum is already a built-in context key).
    customPropertiesExtractor: (args: { envelope_id?: string }) => ({ socketEnvelopeId: args.envelope_id ?? null }),
    // An envelope Bolt fails on before a listener acks it is still acked: a redelivery would fail the same way.
    processEventErrorHandler: async ({ error, event }) => {
      deps.log.error(
        { err: error.message, type: (event.body as { type?: string })?.type },
        'envelope processing failed; acked',
      );
      return true;
    },
  });

  const app = new App({
    token: tokens.botToken,
    receiver,
    logger,
    clientOptions: appClientOptions,
    convoStore: false,
    deferInitialization: true,
  });

  const seen = new SeenSet(DEDUPE_TTL_MS);
  app.use(dedupeMiddleware(deps, seen));
  const alerts = new AlertService(deps, app.client);
  registerYtmCommand(app, deps, alerts);
  registerDoctorRerunAction(app, deps);
  registerPlanApproveAction(app, deps);
  registerPlanCancelAction(app, deps);
  registerPlanReplanAction(app, deps);
  registerOutboxPlanFlushAction(app, deps);
  registerRelinkUseDraftAction(app, deps);
  registerAlertPlanAction(app, deps);
  registerAlertSilenceAction(app, deps, alerts);
  registerAppHomeOpened(app, deps, alerts);
  app.error(async (error) => {
    deps.log.error({ err: error.message, code: error.code }, 'listener error');
  });

  const watchdog = new ConnectionWatchdog(receiver.client, {
    silenceMs: deps.settings.watchdogSilenceMs,
    wakeJumpMs: deps.settings.wakeJumpMs,
    log: deps.log,
  });
  return { app, receiver, watchdog, seen, alerts };
}

function dedupeMiddleware(deps: BotDeps, seen: SeenSet): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, context, next } = args;
    const envelopeId = typeof context.socketEnvelopeId === 'string' ? context.socketEnvelopeId : undefined;
    const keys = dedupeKeys(envelopeId, body as unknown as Record<string, unknown>);
    if (keys.length > 0 && seen.checkAndRemember(keys)) {
      deps.log.info({ envelopeId, keys, retryNum: context.retryNum }, 'duplicate delivery acked and dropped');
      if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
      return;
    }
    await next();
  };
}

// `node dist/bot/main.js` (and `npm start` / `ytm bot`): the Slack bot.
// Exit codes: 0 stopped by a signal; 78 configuration problem (named, no stack trace); 75 another instance
// holds the lock; 1 anything else at start-up.
import { formatProblems, loadConfig } from '../lib/config.js';
import {
  AlreadyRunningError,
  acquireInstanceLock,
  BOT_LOCK_STALE_MS,
  botLockFile,
  type InstanceLock,
} from '../lib/locks/instance.js';
import { createLogger, type Logger, scrubSecrets } from '../lib/log.js';
import { exportNodeBin } from '../lib/node-bin.js';
import { resolvePaths } from '../lib/paths.js';
import { loadScheduleManifest } from '../lib/schedule/manifest.js';
import { accessPolicy } from './access.js';
import { feedAlertsFromMonitor } from './alerts/monitor-feed.js';
import { type Bot, createBot } from './app.js';
import { startPlanHousekeeping } from './approvals/housekeeping.js';
import { audit, type BotDeps, makeHost } from './deps.js';
import { startHeartbeat } from './heartbeat.js';
import { JobControl } from './job-control.js';
import { askApprovalOnRefusals } from './schedule/approval.js';
import { Scheduler } from './schedule/scheduler.js';
import { botSettings } from './settings.js';

export const EXIT_CONFIG = 78;
export const EXIT_ALREADY_RUNNING = 75;

/** Give up on a clean shutdown after this long and exit anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

const AUTH_ERRORS = /invalid_auth|not_authed|account_inactive|token_revoked|token_expired|not_allowed_token_type/;

/** The LaunchAgent's label (manifests/service/com.ytm-ops.bot.plist); launchd puts it in XPC_SERVICE_NAME. */
const LAUNCHD_LABEL = 'com.ytm-ops.bot';

/**
 * launchd restarts a KeepAlive job after every non-zero exit (it has nothing like systemd's
 * RestartPreventExitStatus), so under the LaunchAgent a configuration error, which no restart can fix, exits 0:
 * KeepAlive { SuccessfulExit: false } then leaves the bot stopped instead of restarting it every 30 s forever.
 */
function configFail(message: string): never {
  if (process.env.XPC_SERVICE_NAME !== LAUNCHD_LABEL) fail(EXIT_CONFIG, message);
  fail(
    0,
    `${message}\nytm bot: stopped without a restart (exit 0 for launchd). Fix .env, then: launchctl kickstart -k gui/$(id -u)/${LAUNCHD_LABEL}`,
  );
}

function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const loaded = loadConfig(process.env, process.cwd(), { requireSlack: true });
  if (!loaded.ok) configFail(formatProblems(loaded.problems));
  const config = loaded.config;
  // A bad schedule manifest is a configuration problem too: named, before anything connects.
  const schedule = loadScheduleManifest(config);
  if (!schedule.ok) configFail(formatProblems(schedule.problems));
  exportNodeBin(config.YTM_NODE_BIN);

  const log = createLogger({
    level: config.YTM_LOG_LEVEL,
    name: 'ytm-bot',
    file: config.YTM_LOG_FILE,
    maxBytes: config.YTM_LOG_MAX_MB * 1024 ** 2,
  });
  const paths = resolvePaths(config);
  const settings = botSettings(config);
  const deps: BotDeps = {
    config,
    settings,
    stateDir: paths.stateDir,
    host: makeHost(),
    log,
    jobs: new JobControl(log, undefined, process.env, settings.jobLimits),
    policy: accessPolicy(config),
    inflight: new Set(),
  };

  let lock: InstanceLock;
  try {
    lock = await acquireInstanceLock(botLockFile(paths.stateDir), {
      staleMs: BOT_LOCK_STALE_MS,
      heartbeatMs: 10_000,
      onLost: (holder) => {
        log.error({ holder }, 'the instance lock was taken over by another bot; shutting down');
        void shutdown('lock lost', 1);
      },
    });
  } catch (err) {
    if (err instanceof AlreadyRunningError) fail(EXIT_ALREADY_RUNNING, `ytm bot: not started: ${err.message}`);
    fail(1, `ytm bot: cannot take the instance lock: ${(err as Error).message}`);
  }
  if (lock.takenOverFrom) {
    log.warn({ from: lock.takenOverFrom }, 'took over a stale instance lock');
    audit(deps, 'bot.lock_takeover', undefined, { ...lock.takenOverFrom });
  }

  let bot: Bot | undefined;
  const timers: { stop: () => void }[] = [];
  let stopping: Promise<void> | undefined;
  const shutdown = (why: string, code = 0): Promise<void> => {
    if (stopping) return stopping;
    log.info({ why }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error('shutdown took too long; exiting anyway');
      process.exit(code || 1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    stopping = (async () => {
      for (const t of timers) t.stop();
      // 1. Bolt first: no new envelopes. A reconnect the watchdog started is finished before stopping.
      if (bot) {
        await bot.watchdog.stop();
        await bot.app.stop().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'app.stop failed'));
      }
      // 2. Job children: SIGTERM, grace, SIGKILL; then give their replies a moment to go out.
      await deps.jobs.shutdown();
      await Promise.race([Promise.allSettled([...deps.inflight]), new Promise((r) => setTimeout(r, 2_000))]);
      // 3. The lock last, so no second bot connects while this one still holds a socket.
      await lock.release().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'lock release failed'));
      log.info('stopped');
      process.exit(code);
    })();
    return stopping;
  };
  let signals = 0;
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(sig, () => {
      signals += 1;
      if (signals > 1) {
        log.warn({ signal: sig }, 'second signal: exiting now');
        process.exit(130);
      }
      void shutdown(sig);
    });
  }
  process.on('unhandledRejection', (reason) => {
    // socket-mode 3.1.0 can reject with `undefined` when stopped mid-reconnect; never crash on it.
    log.error(
      { reason: scrubSecrets(reason instanceof Error ? reason.message : String(reason)) },
      'unhandled rejection',
    );
  });

  bot = createBot(deps, {
    botToken: config.SLACK_BOT_TOKEN as string,
    appToken: config.SLACK_APP_TOKEN as string,
  });
  try {
    await bot.app.init(); // auth.test: a wrong token is a configuration problem, reported by name
    await bot.app.start();
  } catch (err) {
    const message = scrubSecrets(String((err as Error)?.message ?? err));
    await lock.release().catch(() => {});
    if (AUTH_ERRORS.test(message)) {
      configFail(
        formatProblems([{ name: 'SLACK_BOT_TOKEN/SLACK_APP_TOKEN', message: `Slack rejected a token (${message})` }]),
      );
    }
    fail(1, `ytm bot: could not connect to Slack: ${message}`);
  }
  bot.watchdog.start();
  // Plans: cards of plans interrupted by a restart or past their TTL are updated; then the expiry timer.
  timers.push(startPlanHousekeeping(deps, bot.app.client));
  // Scheduled jobs (manifests/schedule.yaml) and the heartbeat; both stop with the other timers on shutdown.
  const scheduler = new Scheduler(deps, schedule.entries);
  askApprovalOnRefusals(deps, bot.app.client, scheduler);
  // Alerts: fed by the scheduled `monitor` job; the queue left from before a restart is sent first.
  timers.push(feedAlertsFromMonitor(deps, bot.alerts, scheduler));
  if (config.YTM_HEARTBEAT_URL) {
    timers.push(
      startHeartbeat({ url: config.YTM_HEARTBEAT_URL, intervalSec: config.YTM_MONITOR_INTERVAL_SEC, log, scheduler }),
    );
  }
  timers.push(scheduler);
  await scheduler.start();
  log.info(
    {
      pid: process.pid,
      host: deps.host,
      api: config.SLACK_API_URL ?? 'https://slack.com/api/',
      clientPingTimeoutMs: deps.settings.clientPingTimeoutMs,
      watchdogTickMs: bot.watchdog.tickMs,
    },
    'bot connected (Socket Mode)',
  );
}

main().catch((err: unknown) => {
  const log: Logger = createLogger({ name: 'ytm-bot' });
  log.fatal({ err: scrubSecrets((err as Error)?.message ?? String(err)) }, 'bot crashed at start-up');
  process.exit(1);
});

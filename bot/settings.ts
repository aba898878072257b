import type { Config } from '../lib/config.js';
import type { JobLimits } from './job-control.js';

// The bot's tuning knobs, validated with the rest of the configuration in lib/config.ts.

export interface BotSettings {
  /** SocketModeClient clientPingTimeout (ms); also the library's reconnect delay. */
  clientPingTimeoutMs: number;
  /** SocketModeClient serverPingTimeout (ms). */
  serverPingTimeoutMs: number;
  /** Force a reconnect when no Socket Mode message arrived for this long (ms). 0 disables. */
  watchdogSilenceMs: number;
  /** A timer firing this much later than planned means the machine slept: force a reconnect (ms). 0 disables. */
  wakeJumpMs: number;
  /** How long a job child may run before it is cancelled (ms); the doctor also gets its own budget. */
  jobTimeoutMs: number;
  /** How long `ytm apply` of an approved plan may run (ms). */
  applyTimeoutMs: number;
  /** How many job children may run at once (YTM_SLACK_MAX_JOBS, YTM_SLACK_MAX_JOBS_PER_KIND). */
  jobLimits: JobLimits;
}

export function botSettings(c: Config): BotSettings {
  return {
    clientPingTimeoutMs: c.YTM_SLACK_CLIENT_PING_TIMEOUT_MS,
    serverPingTimeoutMs: c.YTM_SLACK_SERVER_PING_TIMEOUT_MS,
    watchdogSilenceMs: c.YTM_SLACK_WATCHDOG_SILENCE_MS,
    wakeJumpMs: c.YTM_SLACK_WAKE_JUMP_MS,
    jobTimeoutMs: c.YTM_SLACK_JOB_TIMEOUT_MS,
    applyTimeoutMs: c.YTM_APPLY_TIMEOUT_MIN * 60_000,
    jobLimits: { total: c.YTM_SLACK_MAX_JOBS, perKind: c.YTM_SLACK_MAX_JOBS_PER_KIND },
  };
}

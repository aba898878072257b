// A scheduler wired as bot/main.ts wires it (real JobControl, real children, the state dir of a workspace),
// minus Slack unless a test gives a client: collects every result and waits for the one a test needs.
import { accessPolicy } from '../../../bot/access.js';
import type { BotDeps } from '../../../bot/deps.js';
import { JobControl } from '../../../bot/job-control.js';
import { type ScheduledResult, Scheduler } from '../../../bot/schedule/scheduler.js';
import { botSettings } from '../../../bot/settings.js';
import { loadConfig } from '../../../lib/config.js';
import { compiledEntry } from '../../../lib/guard/entry.js';
import { createLogger } from '../../../lib/log.js';
import type { ScheduleEntry } from '../../../lib/schedule/manifest.js';

export const SCRIPTED_CHILD = compiledEntry('test/bot/schedule-support/scripted-child.js');

export interface SchedulerRig {
  deps: BotDeps;
  scheduler: Scheduler;
  results: ScheduledResult[];
  /** Resolves with the first result (already seen or still to come) that matches. */
  waitFor: (pred: (r: ScheduledResult) => boolean) => Promise<ScheduledResult>;
  close: () => Promise<void>;
}

export function entry(over: Partial<ScheduleEntry> & Pick<ScheduleEntry, 'name' | 'command'>): ScheduleEntry {
  return {
    cron: '* * * * * *',
    schedule: 'every 1 s',
    timeoutMs: 60_000,
    concurrency: 1,
    approvalOnRefusal: [],
    ...over,
  };
}

export function schedulerRig(
  env: Record<string, string>,
  entries: ScheduleEntry[],
  opts: {
    cliPath?: string;
    childEnv?: Record<string, string>;
    /** Registers the bot's own listeners first (as bot/main.ts does), so results arrive after them. */
    wire?: (deps: BotDeps, scheduler: Scheduler) => void;
  } = {},
): SchedulerRig {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const config = loaded.config;
  const log = createLogger({ level: 'silent' });
  const settings = botSettings(config);
  const deps: BotDeps = {
    config,
    settings,
    stateDir: config.YTM_STATE_DIR as string,
    host: 'test',
    log,
    jobs: new JobControl(
      log,
      opts.cliPath ?? compiledEntry('jobs/cli.js'),
      { ...env, ...opts.childEnv },
      settings.jobLimits,
    ),
    policy: accessPolicy(config),
    inflight: new Set(),
  };
  const scheduler = new Scheduler(deps, entries);
  opts.wire?.(deps, scheduler);
  const results: ScheduledResult[] = [];
  const waiters: { pred: (r: ScheduledResult) => boolean; resolve: (r: ScheduledResult) => void }[] = [];
  for (const e of entries) {
    scheduler.on(e.name, (r) => {
      results.push(r);
      for (const w of [...waiters]) {
        if (!w.pred(r)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(r);
      }
    });
  }
  return {
    deps,
    scheduler,
    results,
    waitFor: (pred) =>
      new Promise((resolve) => {
        const seen = results.find(pred);
        if (seen) resolve(seen);
        else waiters.push({ pred, resolve });
      }),
    close: async () => {
      scheduler.stop();
      await deps.jobs.shutdown();
      await Promise.allSettled([...deps.inflight]);
      await scheduler.flushed();
    },
  };
}

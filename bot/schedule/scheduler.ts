// The bot's scheduler: one node-cron task per manifest job; each tick runs the job's `ytm` words as a job child
// through JobControl (never in the bot process), under the job's timeout. A tick while `concurrency` runs of
// the job are still going, or while the bot's job limits are reached, starts nothing and is recorded as
// 'skipped-overlap'. Every result is recorded in <YTM_STATE_DIR>/schedule/state.json (for `ytm status`) and
// handed to the listeners other bot modules registered with `on(job, listener)`. Cron timers are unref'd and
// stopped on shutdown; the children themselves are cancelled by JobControl.shutdown.
import { createTask, type ScheduledTask } from 'node-cron';
import type { JobOutcome } from '../../lib/job-runner.js';
import { scrubSecrets } from '../../lib/log.js';
import type { ScheduleEntry } from '../../lib/schedule/manifest.js';
import {
  type EntryState,
  loadScheduleState,
  type RunOutcome,
  type ScheduleState,
  saveScheduleState,
} from '../../lib/schedule/state.js';
import { type BotDeps, track } from '../deps.js';

export interface ScheduledResult {
  entry: string;
  /** ISO instants. */
  startedAt: string;
  finishedAt: string;
  exitCode: number | null;
  outcome: RunOutcome;
  /** The job's JSON result (its `--json` document), when it sent one. */
  json?: unknown;
  /** Why, in words, when the outcome is not ok. */
  message?: string;
}

export type ScheduleListener = (result: ScheduledResult) => Promise<void> | void;

/** Exit codes of every job but doctor (DESIGN): 0 done, 2 refused by a safety rule, anything else failed. */
export function outcomeOf(o: JobOutcome): RunOutcome {
  if (o.status === 'timeout') return 'timeout';
  if (o.status !== 'exited') return 'failed';
  if (o.exitCode === 0) return 'ok';
  return o.exitCode === 2 ? 'refused' : 'failed';
}

function messageOf(o: JobOutcome, entry: ScheduleEntry): string | undefined {
  if (o.status === 'timeout') {
    return `stopped after ${entry.timeoutMs / 1000} s (timeoutSec)${o.abandoned ? '; its process is stuck in the kernel and was left behind' : ''}`;
  }
  if (o.status === 'exited' && o.exitCode === 0) return undefined;
  const tail = scrubSecrets(o.stderrTail.trim().split('\n').slice(-3).join(' '));
  return `${o.status}, exit ${o.exitCode ?? o.signal ?? '?'}${tail ? `: ${tail}` : ''}`;
}

export class Scheduler {
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly running = new Map<string, number>();
  private readonly listeners = new Map<string, ScheduleListener[]>();
  private state: ScheduleState = { entries: {} };
  private writes: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly deps: BotDeps,
    readonly entries: readonly ScheduleEntry[],
  ) {}

  has(entryName: string): boolean {
    return this.entries.some((e) => e.name === entryName);
  }

  /** Calls `listener` after every tick of `entryName` (skipped ones too). Errors are logged, never thrown. */
  on(entryName: string, listener: ScheduleListener): void {
    if (!this.has(entryName)) throw new Error(`no scheduled job named "${entryName}" in the manifest`);
    this.listeners.set(entryName, [...(this.listeners.get(entryName) ?? []), listener]);
  }

  /** Loads what was recorded, starts one cron task per job and records each job's next run. */
  async start(): Promise<void> {
    const recorded = await loadScheduleState(this.deps.stateDir);
    // Jobs no longer in the manifest are dropped, so `ytm status` lists only what runs.
    this.state = { entries: {} };
    for (const entry of this.entries) {
      const task = createTask(entry.cron, () => this.tick(entry), {
        name: entry.name,
        unref: true,
        logger: this.cronLogger(),
      });
      this.tasks.set(entry.name, task);
      await task.start();
      const { runningSince: _gone, ...before } = recorded.entries[entry.name] ?? { schedule: entry.schedule };
      this.state.entries[entry.name] = { ...before, schedule: entry.schedule, nextRunAt: this.nextRun(entry.name) };
    }
    this.persist();
    this.deps.log.info(
      { jobs: this.entries.map((e) => ({ name: e.name, schedule: e.schedule, next: this.nextRun(e.name) })) },
      'scheduler started',
    );
  }

  /** Stops every cron task; running children are left to JobControl.shutdown. */
  stop(): void {
    this.stopped = true;
    for (const task of this.tasks.values()) void task.destroy();
    this.tasks.clear();
  }

  /** Resolves when every state write queued so far is on disk. */
  flushed(): Promise<void> {
    return this.writes;
  }

  /** The plan a refused run of `entryName` posted and that may still be waiting for approval. */
  awaitingPlan(entryName: string): string | undefined {
    return this.state.entries[entryName]?.awaitingPlan;
  }

  setAwaitingPlan(entryName: string, planId: string): void {
    this.patch(entryName, { awaitingPlan: planId });
    this.persist();
  }

  private tick(entry: ScheduleEntry): void {
    if (this.stopped) return;
    const startedAt = new Date().toISOString();
    const n = this.running.get(entry.name) ?? 0;
    const skip = (message: string) => {
      const prev = this.state.entries[entry.name]?.skipped;
      this.patch(entry.name, { skipped: { count: (prev?.count ?? 0) + 1, lastAt: startedAt } });
      track(
        this.deps,
        this.finish(entry, {
          entry: entry.name,
          startedAt,
          finishedAt: startedAt,
          exitCode: null,
          outcome: 'skipped-overlap',
          message,
        }),
      );
    };
    if (n >= entry.concurrency) {
      skip(`${n} run${n === 1 ? ' is' : 's are'} still going (concurrency ${entry.concurrency})`);
      return;
    }
    const start = this.deps.jobs.run({ args: [...entry.command, '--events'], timeoutMs: entry.timeoutMs });
    if (start.busy) {
      skip(start.busy);
      return;
    }
    this.running.set(entry.name, n + 1);
    this.patch(entry.name, { runningSince: startedAt });
    this.persist();
    const done = start.done.then((o) => {
      const left = (this.running.get(entry.name) ?? 1) - 1;
      if (left > 0) this.running.set(entry.name, left);
      else this.running.delete(entry.name);
      const message = messageOf(o, entry);
      return this.finish(entry, {
        entry: entry.name,
        startedAt,
        finishedAt: new Date().toISOString(),
        exitCode: o.exitCode,
        outcome: outcomeOf(o),
        ...(o.result !== null && o.result !== undefined ? { json: o.result } : {}),
        ...(message ? { message } : {}),
      });
    });
    track(this.deps, done);
  }

  private async finish(entry: ScheduleEntry, r: ScheduledResult): Promise<void> {
    if (r.outcome !== 'skipped-overlap') {
      const stillRunning = (this.running.get(entry.name) ?? 0) > 0;
      this.patch(entry.name, {
        lastRun: {
          startedAt: r.startedAt,
          finishedAt: r.finishedAt,
          durationMs: Date.parse(r.finishedAt) - Date.parse(r.startedAt),
          outcome: r.outcome,
          exitCode: r.exitCode,
        },
        runningSince: stillRunning ? this.state.entries[entry.name]?.runningSince : undefined,
      });
    }
    this.patch(entry.name, { nextRunAt: this.nextRun(entry.name) });
    this.persist();
    const level = r.outcome === 'ok' ? 'info' : 'warn';
    this.deps.log[level](
      { job: entry.name, outcome: r.outcome, exitCode: r.exitCode, message: r.message, startedAt: r.startedAt },
      'scheduled run finished',
    );
    // After shutdown began nothing more goes out (Slack is already disconnected); the record above still counts.
    if (this.stopped) return;
    for (const listener of this.listeners.get(entry.name) ?? []) {
      try {
        await listener(r);
      } catch (err) {
        this.deps.log.error({ job: entry.name, err: (err as Error).message }, 'schedule listener failed');
      }
    }
  }

  private nextRun(name: string): string | null {
    return this.tasks.get(name)?.getNextRun()?.toISOString() ?? null;
  }

  private patch(name: string, fields: Partial<EntryState>): void {
    const cur = this.state.entries[name] ?? { schedule: '' };
    const next: EntryState = { ...cur, ...fields };
    for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k as keyof EntryState];
    this.state.entries[name] = next;
  }

  /** Queues a write of the whole state; writes never overlap and a failed one is logged, not thrown. */
  private persist(): void {
    this.writes = this.writes
      .then(() => saveScheduleState(this.deps.stateDir, this.state))
      .catch((err: unknown) =>
        this.deps.log.error({ err: (err as Error).message }, 'could not record the schedule state'),
      );
  }

  private cronLogger() {
    const log = this.deps.log.child({ component: 'node-cron' });
    return {
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.warn(m),
      error: (m: string | Error) => log.error(String(m instanceof Error ? m.message : m)),
      debug: (m: string | Error) => log.debug(String(m instanceof Error ? m.message : m)),
    };
  }
}

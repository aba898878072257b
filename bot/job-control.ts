// The bot runs every job as a child `ytm` process through the job runner (never on its own event loop, never
// touching the share), keeps track of the children so a shutdown can cancel them, and caps how many run at
// once (in total and per kind, the kind being the command word: doctor, store, outbox, apply), so a burst of
// clicks cannot fork a child each. A request over the cap starts nothing and gets `busy` words for the user.

import { compiledEntry } from '../lib/guard/entry.js';
import { type JobEvent, type JobOutcome, jobEnv, type RunningJob, startJob } from '../lib/job-runner.js';
import type { Logger } from '../lib/log.js';
import { nodeBin } from '../lib/node-bin.js';

export interface JobRequest {
  /** `ytm` words after the command name handling, e.g. ['doctor', '--json', '--events']. */
  args: string[];
  timeoutMs: number;
  onEvent?: (event: JobEvent) => void;
}

export interface JobStart {
  pid: number | undefined;
  done: Promise<JobOutcome>;
  /** Set when no child was started because a limit was reached: what to tell the user. */
  busy?: string;
  /** True when this request shares a child already running the same command (`runShared`). */
  shared?: boolean;
}

export interface JobLimits {
  /** Children at once, all kinds together (YTM_SLACK_MAX_JOBS). */
  total: number;
  /** Children of one kind at once (YTM_SLACK_MAX_JOBS_PER_KIND). */
  perKind: number;
}

export const DEFAULT_JOB_LIMITS: JobLimits = { total: 4, perKind: 2 };

/** A place under the limits, taken before the work that leads to a child (e.g. an approval) and then used or released. */
export interface JobSlot {
  run(req: JobRequest): JobStart;
  release(): void;
}

const noChild = (status: 'cancelled' | 'spawn_failed', stderrTail: string): Promise<JobOutcome> =>
  Promise.resolve({
    status,
    exitCode: null,
    signal: null,
    result: null,
    events: 0,
    stderrTail,
    durationMs: 0,
    abandoned: false,
  });

export class JobControl {
  private readonly running = new Map<RunningJob, { args: string[]; startedAt: string }>();
  private readonly taken = new Map<string, number>();
  private readonly sharedRuns = new Map<string, JobStart>();
  private closed = false;

  constructor(
    private readonly log: Logger,
    private readonly cliPath: string = compiledEntry('jobs/cli.js'),
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly limits: JobLimits = DEFAULT_JOB_LIMITS,
  ) {}

  /** Takes a place for a job of `kind`, or says why not (the user is told to try again). */
  reserve(kind: string): JobSlot | { busy: string } {
    const total = [...this.taken.values()].reduce((a, b) => a + b, 0);
    const ofKind = this.taken.get(kind) ?? 0;
    if (ofKind >= this.limits.perKind) {
      return {
        busy: `busy: ${ofKind} \`${kind}\` job${ofKind === 1 ? ' is' : 's are'} already running (YTM_SLACK_MAX_JOBS_PER_KIND=${this.limits.perKind}); nothing was started, try again in a minute.`,
      };
    }
    if (total >= this.limits.total) {
      return {
        busy: `busy: ${total} jobs are already running (YTM_SLACK_MAX_JOBS=${this.limits.total}); nothing was started, try again in a minute.`,
      };
    }
    this.taken.set(kind, ofKind + 1);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      const n = (this.taken.get(kind) ?? 1) - 1;
      if (n > 0) this.taken.set(kind, n);
      else this.taken.delete(kind);
    };
    return {
      release,
      run: (req) => {
        if (!held) throw new Error('job slot used twice');
        const start = this.start(req);
        void start.done.finally(release);
        return start;
      },
    };
  }

  /** Starts a child if the limits allow; otherwise `busy` is set and nothing runs. */
  run(req: JobRequest): JobStart {
    const slot = this.reserve(req.args[0] ?? '');
    if ('busy' in slot) return { pid: undefined, done: noChild('cancelled', slot.busy), busy: slot.busy };
    return slot.run(req);
  }

  /** Like `run`, but a request for the same command while one is running shares that child and its outcome. */
  runShared(req: JobRequest): JobStart {
    const key = JSON.stringify(req.args);
    const current = this.sharedRuns.get(key);
    if (current) return { ...current, shared: true };
    const start = this.run(req);
    if (start.busy) return start;
    this.sharedRuns.set(key, start);
    void start.done.finally(() => this.sharedRuns.delete(key));
    return start;
  }

  private start(req: JobRequest): JobStart {
    if (this.closed) return { pid: undefined, done: noChild('cancelled', 'the bot is shutting down') };
    let job: RunningJob;
    try {
      job = startJob({
        command: nodeBin(this.env),
        args: [this.cliPath, ...req.args],
        env: jobEnv(this.env),
        // An approved plan may copy for hours: the Mac must not sleep under it.
        keepAwake: req.args[0] === 'apply',
        timeoutMs: req.timeoutMs,
        // Jobs yield the CPU to the bot: on a two-core Mac a doctor walking 200k entries must not delay acks.
        nice: 10,
        ...(req.onEvent ? { onEvent: req.onEvent } : {}),
      });
    } catch (err) {
      // e.g. an argument the OS refuses (a NUL byte): the caller still gets an outcome to answer with.
      this.log.warn({ err: (err as Error).message, args: req.args.length }, 'job could not be started');
      return {
        pid: undefined,
        done: noChild('spawn_failed', `could not start the job: ${(err as Error).message}`),
      };
    }
    this.running.set(job, { args: req.args, startedAt: new Date().toISOString() });
    this.log.info({ pid: job.pid, args: req.args }, 'job started');
    const done = job.done.then((outcome) => {
      this.running.delete(job);
      this.log.info(
        { pid: job.pid, args: req.args, status: outcome.status, exitCode: outcome.exitCode, ms: outcome.durationMs },
        'job finished',
      );
      return outcome;
    });
    return { pid: job.pid, done };
  }

  /** The children running now (for `/ytm status`). */
  list(): { pid: number | undefined; args: string[]; startedAt: string }[] {
    return [...this.running].map(([job, info]) => ({ pid: job.pid, ...info }));
  }

  /** Cancels every running child (SIGTERM, grace, SIGKILL) and waits until each is gone or abandoned. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const jobs = [...this.running.keys()];
    for (const j of jobs) j.cancel();
    await Promise.all(jobs.map((j) => j.done));
  }
}

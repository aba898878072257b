// The bot runs every job as a child `ytm` process through the job runner (never on its own event loop, never
// touching the share), and keeps track of the children so a shutdown can cancel them.
import { compiledEntry } from '../lib/guard/entry.js';
import { type JobEvent, type JobOutcome, jobEnv, type RunningJob, startJob } from '../lib/job-runner.js';
import type { Logger } from '../lib/log.js';

export interface JobRequest {
  /** `ytm` words after the command name handling, e.g. ['doctor', '--json', '--events']. */
  args: string[];
  timeoutMs: number;
  onEvent?: (event: JobEvent) => void;
}

export class JobControl {
  private readonly running = new Set<RunningJob>();
  private closed = false;

  constructor(
    private readonly log: Logger,
    private readonly cliPath: string = compiledEntry('jobs/cli.js'),
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  run(req: JobRequest): { pid: number | undefined; done: Promise<JobOutcome> } {
    if (this.closed) {
      return {
        pid: undefined,
        done: Promise.resolve({
          status: 'cancelled',
          exitCode: null,
          signal: null,
          result: null,
          events: 0,
          stderrTail: 'the bot is shutting down',
          durationMs: 0,
          abandoned: false,
        }),
      };
    }
    const job = startJob({
      command: process.execPath,
      args: [this.cliPath, ...req.args],
      env: jobEnv(this.env),
      timeoutMs: req.timeoutMs,
      // Jobs yield the CPU to the bot: on a two-core Mac a doctor walking 200k entries must not delay acks.
      nice: 10,
      ...(req.onEvent ? { onEvent: req.onEvent } : {}),
    });
    this.running.add(job);
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

  /** Cancels every running child (SIGTERM, grace, SIGKILL) and waits until each is gone or abandoned. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const jobs = [...this.running];
    for (const j of jobs) j.cancel();
    await Promise.all(jobs.map((j) => j.done));
  }
}

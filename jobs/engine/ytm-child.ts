// A terminal `--run` does its share I/O in `ytm` children, as the bot does: a hung share then blocks a child
// that is stopped at the time limit (SIGTERM, grace, SIGKILL, then let go), never the terminal's own process.
import { compiledEntry } from '../../lib/guard/entry.js';
import { type JobOutcome, jobEnv, startJob } from '../../lib/job-runner.js';
import { nodeBin } from '../../lib/node-bin.js';
import type { ProgressEvent } from './types.js';

export interface YtmChildOptions {
  timeoutMs: number;
  /** Aborting it cancels the child (the terminal's Ctrl-C). */
  signal: AbortSignal;
  onProgress: (event: ProgressEvent) => void;
  env?: NodeJS.ProcessEnv;
}

/** Runs `ytm <args>` (which must ask for `--events`) and resolves when it exited or was given up on. */
export async function runYtmChild(args: string[], opts: YtmChildOptions): Promise<JobOutcome> {
  const job = startJob({
    command: nodeBin(opts.env),
    args: [compiledEntry('jobs/cli.js'), ...args],
    env: jobEnv(opts.env),
    keepAwake: args[0] === 'apply',
    timeoutMs: opts.timeoutMs,
    onEvent: (ev) => {
      if (ev.type === 'progress' && typeof ev.stage === 'string' && typeof ev.message === 'string') {
        const { type: _type, ...progress } = ev;
        opts.onProgress(progress as unknown as ProgressEvent);
      }
    },
  });
  const cancel = () => job.cancel();
  if (opts.signal.aborted) cancel();
  opts.signal.addEventListener('abort', cancel, { once: true });
  try {
    return await job.done;
  } finally {
    opts.signal.removeEventListener('abort', cancel);
  }
}

// rsync's exit codes (rsync(1) EXIT VALUES) mapped to what a job does with them.

export type RsyncOutcome =
  | 'ok'
  /** 24: some source files vanished while rsync ran; everything else was transferred. */
  | 'vanished'
  /** 23: some files or attributes were not transferred. */
  | 'partial'
  /** 25: --max-delete stopped deletions. */
  | 'over-limit'
  /** 30, 35: the I/O or connection timeout ran out (a stalled share). */
  | 'timeout'
  /** 20, or killed by a signal. */
  | 'interrupted'
  /** 1, 4: rsync refused the options (an older rsync without one of them). */
  | 'usage'
  | 'failed';

const WORDS: Record<number, string> = {
  0: 'success',
  1: 'syntax or usage error',
  2: 'protocol incompatibility',
  3: 'errors selecting input/output files or directories',
  4: 'requested action not supported (an option this rsync lacks)',
  5: 'error starting client-server protocol',
  10: 'error in socket I/O',
  11: 'error in file I/O',
  12: 'error in rsync protocol data stream (the other side died, or the disk is full)',
  13: 'errors with program diagnostics',
  14: 'error in IPC code',
  20: 'received SIGUSR1 or SIGINT (interrupted)',
  21: 'some error returned by waitpid()',
  22: 'error allocating core memory buffers',
  23: 'partial transfer due to error',
  24: 'partial transfer due to vanished source files',
  25: 'the --max-delete limit stopped deletions',
  30: 'timeout in data send/receive (I/O stalled longer than --timeout)',
  35: 'timeout waiting for daemon connection',
};

export interface RsyncExit {
  outcome: RsyncOutcome;
  /** In words, with the code or signal. */
  message: string;
}

export function rsyncExit(code: number | null | undefined, signal?: string | null): RsyncExit {
  if (signal) return { outcome: 'interrupted', message: `rsync was killed by ${signal}` };
  if (code === null || code === undefined) return { outcome: 'failed', message: 'rsync did not report an exit code' };
  const words = WORDS[code] ?? 'unknown error';
  const message = `rsync exit ${code}: ${words}`;
  switch (code) {
    case 0:
      return { outcome: 'ok', message };
    case 24:
      return { outcome: 'vanished', message };
    case 23:
      return { outcome: 'partial', message };
    case 25:
      return { outcome: 'over-limit', message };
    case 30:
    case 35:
      return { outcome: 'timeout', message };
    case 20:
      return { outcome: 'interrupted', message };
    case 1:
    case 4:
      return { outcome: 'usage', message };
    default:
      return { outcome: 'failed', message };
  }
}

/** Outcomes after which the destination holds everything the source had (vanished files are gone anyway). */
export function transferComplete(outcome: RsyncOutcome): boolean {
  return outcome === 'ok' || outcome === 'vanished';
}

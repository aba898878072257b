// rsync's settings (python-ops-facts §2.2), shared by every job that runs rsync: the store job's retry on
// EIO/EINVAL today, the mirror job later. One place turns the configuration into rsync options.
import { existsSync } from 'node:fs';
import type { Config } from './config.js';

export interface RsyncSettings {
  bin: string;
  wholeFile: boolean;
  /** I/O stall timeout in seconds; 0 or less: no --timeout. */
  timeoutSec: number;
  /** KB/s; 0: unlimited (no --bwlimit). */
  bwlimitKbps: number;
}

// Homebrew's rsync first: launchd got "Operation not permitted" from macOS's /usr/bin/rsync (facts §2.2).
const PREFERRED_RSYNC = ['/opt/homebrew/bin/rsync', '/usr/local/bin/rsync'];

export function rsyncSettings(
  config: Pick<Config, 'YTM_RSYNC_BIN' | 'YTM_RSYNC_WHOLE_FILE' | 'YTM_RSYNC_TIMEOUT_SEC' | 'YTM_RSYNC_BWLIMIT_KBPS'>,
  preferred: readonly string[] = PREFERRED_RSYNC,
): RsyncSettings {
  return {
    bin: config.YTM_RSYNC_BIN ?? preferred.find((p) => existsSync(p)) ?? 'rsync',
    wholeFile: config.YTM_RSYNC_WHOLE_FILE,
    timeoutSec: config.YTM_RSYNC_TIMEOUT_SEC,
    bwlimitKbps: config.YTM_RSYNC_BWLIMIT_KBPS,
  };
}

/** The options the settings ask for, to put before the source and destination. */
export function rsyncOptions(s: RsyncSettings): string[] {
  return [
    ...(s.wholeFile ? ['--whole-file'] : []),
    // --contimeout is deliberately not used: it only applies to rsync daemons.
    ...(s.timeoutSec > 0 ? [`--timeout=${s.timeoutSec}`] : []),
    ...(s.bwlimitKbps > 0 ? [`--bwlimit=${s.bwlimitKbps}`] : []),
  ];
}

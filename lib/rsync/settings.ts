// rsync's settings (python-ops-facts §2.2), shared by every job that runs rsync (the mirror, and the store
// job's retry on EIO/EINVAL): one place turns the configuration into the binary, its niceness and its tuning.
import { existsSync } from 'node:fs';
import type { Config } from '../config.js';

export interface RsyncSettings {
  bin: string;
  wholeFile: boolean;
  /** I/O stall timeout in seconds; 0 or less: no --timeout. */
  timeoutSec: number;
  /** KB/s; 0: unlimited (no --bwlimit). */
  bwlimitKbps: number;
  /** `nice -n` increment for the rsync child; 0: not under nice. */
  nice: number;
}

// Homebrew's rsync first: launchd got "Operation not permitted" from macOS's /usr/bin/rsync (facts §2.2).
export const PREFERRED_RSYNC = ['/opt/homebrew/bin/rsync', '/usr/local/bin/rsync'];

export type RsyncConfig = Pick<
  Config,
  'YTM_RSYNC_BIN' | 'YTM_RSYNC_WHOLE_FILE' | 'YTM_RSYNC_TIMEOUT_SEC' | 'YTM_RSYNC_BWLIMIT_KBPS' | 'YTM_MIRROR_NICE'
>;

/** YTM_RSYNC_BIN, else the first preferred path that exists, else `rsync` from PATH. */
export function findRsyncBin(configured: string | null, preferred: readonly string[] = PREFERRED_RSYNC): string {
  return configured ?? preferred.find((p) => existsSync(p)) ?? 'rsync';
}

export function rsyncSettings(config: RsyncConfig, preferred: readonly string[] = PREFERRED_RSYNC): RsyncSettings {
  return {
    bin: findRsyncBin(config.YTM_RSYNC_BIN, preferred),
    wholeFile: config.YTM_RSYNC_WHOLE_FILE,
    timeoutSec: config.YTM_RSYNC_TIMEOUT_SEC,
    bwlimitKbps: config.YTM_RSYNC_BWLIMIT_KBPS,
    nice: config.YTM_MIRROR_NICE,
  };
}

// The sandbox's disk fault: the free-disk thresholds moved relative to the Hot volume's real free space, written
// to the dotenv file YTM_ENV_FILE names. Every job child (the monitor, the doctor) loads that file when it starts
// (jobs/cli.ts → lib/config.ts loadConfig), so a new threshold counts from the next check on, with no restart —
// provided the bot's own environment does not carry the two variables (the environment wins over the file).
import { statfs } from 'node:fs/promises';
import { writeFileAtomic } from '../../../lib/fs/atomic.js';
import type { DiskFault } from './page-state.js';

export const DISK_THRESHOLD_VARS = ['YTM_DISK_WARN_GIB', 'YTM_DISK_STOP_GIB'] as const;

const GIB = 1024 ** 3;

export interface DiskThresholds {
  fault: DiskFault;
  warnGib: number;
  stopGib: number;
  /** Free space of the volume when the thresholds were chosen (null for 'normal', which does not look). */
  freeGib: number | null;
  volume: string;
}

/** Free GiB for the unprivileged user on the volume holding `dir` (what jobs/doctor/disk.ts compares). */
export async function freeGibOf(dir: string): Promise<number> {
  const s = await statfs(dir);
  return (s.bavail * s.bsize) / GIB;
}

/**
 * 'warn': the warning line 1-2 GiB above the free space (whole GiB), the stop line at 0. 'stop': the stop line
 * there too and the warning line 1 GiB higher (stop ≤ warn, as lib/config.ts requires). The gap keeps the alert
 * steady while the sandbox itself writes a little. 'normal': both 0, so no finding is ever about this machine.
 */
export async function thresholdsFor(fault: DiskFault, volume: string): Promise<DiskThresholds> {
  if (fault === 'normal') return { fault, warnGib: 0, stopGib: 0, freeGib: null, volume };
  const freeGib = await freeGibOf(volume);
  const line = Math.ceil(freeGib) + 1;
  return fault === 'warn'
    ? { fault, warnGib: line, stopGib: 0, freeGib, volume }
    : { fault, warnGib: line + 1, stopGib: line, freeGib, volume };
}

export function envFileText(t: DiskThresholds): string {
  return [
    '# Written by the ytm sandbox fault panel (test/sandbox/web/faults.ts); rewritten at every change.',
    `# Disk fault "${t.fault}"${t.freeGib === null ? '' : `: ${t.freeGib.toFixed(1)} GiB were free on ${t.volume}`}.`,
    `YTM_DISK_WARN_GIB=${t.warnGib}`,
    `YTM_DISK_STOP_GIB=${t.stopGib}`,
    '# Read by the bot at start: a disk alert resolves as soon as free space is above the line again, however',
    '# little this machine has free (the default 10 GiB margin would keep it firing on a small disk).',
    'YTM_DISK_CLEAR_MARGIN_GIB=0',
    '',
  ].join('\n');
}

export async function writeThresholds(envFile: string, t: DiskThresholds): Promise<void> {
  await writeFileAtomic(envFile, envFileText(t));
}

export function describeThresholds(t: DiskThresholds): string | null {
  if (t.fault === 'normal' || t.freeGib === null) return null;
  const free = `${t.freeGib.toFixed(1)} GiB free on ${t.volume}`;
  return t.fault === 'warn'
    ? `Disk: warning line raised to ${t.warnGib} GiB, above the ${free} (expect DISK_WARN)`
    : `Disk: stop line raised to ${t.stopGib} GiB (warning ${t.warnGib} GiB), above the ${free} (expect DISK_STOP)`;
}

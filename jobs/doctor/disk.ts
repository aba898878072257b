import { statfs } from 'node:fs/promises';
import type { Config } from '../../lib/config.js';
import { finding } from './findings.js';
import type { DoctorReport, Finding } from './report.js';

const GIB = 1024 ** 3;

/** Free space on the Hot volume against the thresholds; comparisons are inclusive, like storage_doctor. */
export async function checkDisk(
  workspaceRoot: string,
  config: Config,
): Promise<{ disk: DoctorReport['disk']; findings: Finding[] }> {
  const warnBytes = config.YTM_DISK_WARN_GIB * GIB;
  const stopBytes = config.YTM_DISK_STOP_GIB * GIB;
  const disk: DoctorReport['disk'] = { path: workspaceRoot, freeBytes: null, totalBytes: null, warnBytes, stopBytes };
  const s = await statfs(workspaceRoot);
  disk.freeBytes = s.bavail * s.bsize;
  disk.totalBytes = s.blocks * s.bsize;
  const free = `${(disk.freeBytes / GIB).toFixed(1)} GiB free`;
  if (disk.freeBytes <= stopBytes) {
    return {
      disk,
      findings: [
        finding(
          'DISK_STOP',
          1,
          `${free} on the Hot volume: at or below the stop line (${config.YTM_DISK_STOP_GIB} GiB). Avoid large renders; plan a cleanup.`,
          [workspaceRoot],
        ),
      ],
    };
  }
  if (disk.freeBytes <= warnBytes) {
    return {
      disk,
      findings: [
        finding(
          'DISK_WARN',
          1,
          `${free} on the Hot volume: at or below the warning line (${config.YTM_DISK_WARN_GIB} GiB).`,
          [workspaceRoot],
        ),
      ],
    };
  }
  return { disk, findings: [] };
}

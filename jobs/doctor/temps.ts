// Temp files left by interrupted copies (`.tmp__<name>__<pid>__<random>`): a cancelled or killed store of a
// multi-GB video leaves one in the share or the outbox, and nothing else would ever mention it. Only files
// whose writer is gone count (lib/fs/stale-temp.ts). The share is scanned in a guarded child; outboxes are local.
import path from 'node:path';
import { findTempFiles, isStaleTemp, type TempFile } from '../../lib/fs/stale-temp.js';
import type { GuardValue } from '../../lib/guard/ops.js';
import { runGuarded } from '../../lib/guard/run.js';
import { formatBytes } from '../engine/output.js';
import { humanDuration } from '../engine/stamp.js';
import { finding } from './findings.js';
import type { Finding } from './report.js';

export interface StaleTempInput {
  /** `uploads/<ns>` on the share, or null when the share is not up (then it is not touched). */
  shareBase: string | null;
  /** `uploads/<ns>` of every known local outbox. */
  outboxBases: string[];
  timeoutMs: number;
}

interface Found extends TempFile {
  where: string;
}

export async function checkStaleTemps(
  input: StaleTempInput,
): Promise<{ findings: Finding[]; incomplete: string | null }> {
  const found: Found[] = [];
  let incomplete: string | null = null;
  if (input.shareBase) {
    const r = await runGuarded<GuardValue<'find-temps'>>(
      { op: 'find-temps', root: input.shareBase },
      { timeoutMs: input.timeoutMs },
    );
    if (r.ok) found.push(...r.value.temps.map((t) => ({ ...t, where: input.shareBase as string })));
    else incomplete = `temp files on the share: ${r.reason === 'timeout' ? 'the scan timed out' : r.message}`;
  }
  for (const base of input.outboxBases) {
    found.push(...(await findTempFiles(base)).temps.map((t) => ({ ...t, where: base })));
  }
  const now = Date.now(); // file ages are real-clock ages, whatever time the report is stamped with
  const stale = found.filter((t) => isStaleTemp(path.basename(t.path), t.mtimeMs, now)).sort((a, b) => b.size - a.size);
  if (stale.length === 0) return { findings: [], incomplete };
  const total = stale.reduce((n, t) => n + t.size, 0);
  const inShare = stale.filter((t) => t.where === input.shareBase).length;
  return {
    findings: [
      finding(
        'STALE_TEMP_FILES',
        stale.length,
        `${stale.length} temp file(s) of interrupted copies (${formatBytes(total)} in total) whose writer is gone; ` +
          'safe to delete (the next store of the same file also removes them)',
        stale.map(
          (t) => `${path.join(t.where, t.path)} (${formatBytes(t.size)}, ${humanDuration(now - t.mtimeMs)} old)`,
        ),
        { share: inShare, outbox: stale.length - inShare },
      ),
    ],
    incomplete,
  };
}

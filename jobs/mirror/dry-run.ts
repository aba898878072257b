// The plan's measurement: every pass run with `rsync -n` and the options of the real run (less --max-delete,
// so every deletion is counted), so its counts are what the run would do. This is the vault drift.
import { treeSyncArgs } from '../../lib/rsync/args.js';
import { runRsync } from '../../lib/rsync/run.js';
import type { RsyncSettings } from '../../lib/rsync/settings.js';
import type { RsyncCaps } from '../../lib/rsync/version.js';
import type { PassAction } from './action.js';
import type { MirrorPass } from './passes.js';

export interface DryRunPass extends PassAction {
  /** Source entries rsync considered (--stats), null when not printed. */
  files: number | null;
  message: string;
  stderrTail: string;
}

export async function dryRunPasses(
  settings: RsyncSettings,
  caps: RsyncCaps,
  passes: MirrorPass[],
  signal: AbortSignal,
): Promise<DryRunPass[]> {
  const out: DryRunPass[] = [];
  for (const p of passes) {
    const args = treeSyncArgs(settings, caps, { ...p, maxDelete: null, dryRun: true });
    const r = await runRsync(settings, args, { signal, withSizes: caps.outFormat, srcRoot: p.src, tailChars: 2000 });
    out.push({
      ...p,
      planned: {
        counts: r.counts,
        outcome: r.outcome,
        returncode: r.exitCode,
        durationSec: Math.round(r.durationMs) / 1000,
        argv: r.argv,
      },
      files: r.files,
      message: r.message,
      stderrTail: r.stderrTail,
    });
  }
  return out;
}

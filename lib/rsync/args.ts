// rsync argument arrays (never a shell string). Source and destination get a trailing '/' so the contents
// are copied, and are absolute, so rsync never reads them as host:path or as options.
import path from 'node:path';
import type { RsyncSettings } from './settings.js';
import type { RsyncCaps } from './version.js';

/** The tuning the settings ask for (--whole-file, --timeout, --bwlimit), where this rsync has it. */
export function tuningOptions(s: RsyncSettings, caps: RsyncCaps): string[] {
  return [
    ...(s.wholeFile && caps.wholeFile ? ['--whole-file'] : []),
    // --contimeout is deliberately not used: it only applies to rsync daemons.
    ...(s.timeoutSec > 0 && caps.timeout ? [`--timeout=${s.timeoutSec}`] : []),
    ...(s.bwlimitKbps > 0 && caps.bwlimit ? [`--bwlimit=${s.bwlimitKbps}`] : []),
  ];
}

/** Itemized output, with sizes (%l) where --out-format exists. */
export function itemizeOptions(caps: RsyncCaps): string[] {
  return caps.outFormat ? ['--out-format=%i %l %n'] : ['--itemize-changes'];
}

export interface TreeSyncSpec {
  src: string;
  dest: string;
  /** Delete-sync: remove what the source no longer has (subject to maxDelete). */
  delete: boolean;
  /** --max-delete; 0 turns delete-sync off entirely (an old rsync reads --max-delete=0 as "no limit"). */
  maxDelete: number | null;
  excludes: readonly string[];
  dryRun: boolean;
}

const dirArg = (p: string) => `${path.resolve(p)}/`;

/** The predecessor's flags (facts §4.2) minus --human-readable, which would make %l unparseable. */
export function treeSyncArgs(s: RsyncSettings, caps: RsyncCaps, spec: TreeSyncSpec): string[] {
  const deleting = spec.delete && spec.maxDelete !== 0;
  return [
    '-a',
    '-8',
    '--no-perms',
    '--no-owner',
    '--no-group',
    ...tuningOptions(s, caps),
    ...(spec.dryRun ? ['-n'] : []),
    ...itemizeOptions(caps),
    ...(caps.stats ? ['--stats'] : []),
    ...(deleting ? ['--delete', caps.deleteDelay ? '--delete-delay' : '--delete-after'] : []),
    ...(deleting && spec.maxDelete !== null ? [`--max-delete=${spec.maxDelete}`] : []),
    ...spec.excludes.flatMap((e) => ['--exclude', e]),
    dirArg(spec.src),
    dirArg(spec.dest),
  ];
}

// The predecessor's fallback when writing to the share fails with EIO or EINVAL (some SMB servers refuse
// certain write patterns): copy once more with rsync, but keep our atomicity: rsync writes a temp name in the
// destination folder, we fsync and verify it against the planned SHA-256, and only then rename it into place.
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, tempPathFor } from '../../lib/fs/atomic.js';
import { placeNoClobber } from '../../lib/fs/copy-verified.js';
import { codedError } from '../../lib/fs/errors.js';
import { sha256File } from '../../lib/fs/hash.js';
import { tuningOptions } from '../../lib/rsync/args.js';
import { runRsync } from '../../lib/rsync/run.js';
import type { RsyncSettings } from '../../lib/rsync/settings.js';
import { probeRsync } from '../../lib/rsync/version.js';

export const RSYNC_RETRY_CODES = new Set(['EIO', 'EINVAL']);

export interface RsyncCopyOptions {
  rsync: RsyncSettings;
  expected: { sha256: string; size: number };
  overwrite: boolean;
  signal?: AbortSignal;
}

export async function rsyncVerified(
  src: string,
  dest: string,
  opts: RsyncCopyOptions,
): Promise<{ sha256: string; size: number }> {
  const tmp = tempPathFor(dest);
  try {
    // Absolute paths start with '/', so rsync never reads them as host:path or as options.
    const { caps } = await probeRsync(opts.rsync.bin).catch((err: Error) => {
      throw codedError('ERSYNC', `rsync fallback failed (${err.message})`, dest);
    });
    const r = await runRsync(opts.rsync, [...tuningOptions(opts.rsync, caps), path.resolve(src), tmp], {
      ...(opts.signal ? { signal: opts.signal } : {}),
      tailChars: 2000,
    });
    if (r.outcome !== 'ok') {
      const why = opts.signal?.aborted ? 'cancelled' : `${r.message}: ${r.stderrTail.trim().slice(0, 300)}`;
      throw codedError('ERSYNC', `rsync fallback failed (${why})`, dest);
    }
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    const got = await sha256File(tmp, { signal: opts.signal });
    if (got.sha256 !== opts.expected.sha256 || got.size !== opts.expected.size) {
      throw codedError(
        'EVERIFY',
        `rsync copy does not match the planned file: expected ${opts.expected.size} bytes ${opts.expected.sha256}, got ${got.size} bytes ${got.sha256}`,
        dest,
      );
    }
    if (opts.overwrite) await rename(tmp, dest);
    else await placeNoClobber(tmp, dest);
    await fsyncDir(path.dirname(dest));
    return got;
  } finally {
    await rm(tmp, { force: true }).catch(() => {});
  }
}

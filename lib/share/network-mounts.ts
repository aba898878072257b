// The network mounts of this host, read in a guarded child: on macOS the table comes from `mount`, which can
// block on a hung share like any other access to it.
import { isInside } from '../fs/contain.js';
import { runGuarded } from '../guard/run.js';

export interface NetworkMounts {
  /** Mountpoints of smbfs, nfs, afpfs, webdav, autofs… (see isNetworkFs). */
  roots: string[];
  /** Why the table could not be read (then `roots` is empty), else null. */
  problem: string | null;
}

export async function readNetworkMounts(timeoutMs: number): Promise<NetworkMounts> {
  const r = await runGuarded<string[]>({ op: 'network-mounts' }, { timeoutMs });
  return r.ok
    ? { roots: r.value, problem: null }
    : { roots: [], problem: `the mount table could not be read, so only the configured share is known: ${r.message}` };
}

/** The innermost of `roots` that holds `p` (lexically), or null when `p` is on none of them. */
export function remoteRootOf(p: string, roots: readonly string[]): string | null {
  let found: string | null = null;
  // NFC and without case: matching more is the safe side (a remote path is never stat'ed in-process).
  for (const r of roots) {
    if (isInside(r, p, { caseInsensitive: true }) && (found === null || r.length > found.length)) found = r;
  }
  return found;
}

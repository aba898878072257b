// The vault sentinel (python-ops-facts §3.7): delete-sync runs only into a folder that carries it, so an
// empty mountpoint or a wrong path is never "mirrored" into. `--bootstrap-dest` writes it; nothing deletes it
// (the main pass excludes it).
import path from 'node:path';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';
import { entryExists } from '../../lib/fs/exists.js';
import { VAULT_SENTINEL } from '../../lib/paths.js';

export const sentinelPath = (dest: string) => path.join(dest, VAULT_SENTINEL);

export function sentinelExists(dest: string): Promise<boolean> {
  return entryExists(sentinelPath(dest));
}

export async function writeSentinel(dest: string, repoRoot: string, now: Date): Promise<void> {
  await writeJsonAtomic(sentinelPath(dest), {
    schema: 'ytm.vault.workspaces_root.v1',
    generated_at: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    paths: { dest_root: dest, repo_root: repoRoot },
    env: { YTM_VAULT_WORKSPACES_ROOT: dest },
  });
}

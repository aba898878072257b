// Which local outboxes may hold files: the one in effect now, the configured/default one, and every outbox a
// store actually wrote to (remembered in the state dir, because the stub-link rule of facts §1.4 can no longer
// be evaluated once the share is back).
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../../lib/config.js';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';
import { withFileLock } from '../../lib/locks/file-lock.js';
import { outboxRoot } from '../../lib/paths.js';

const RootsSchema = z.object({ roots: z.array(z.string()) });
const rootsFile = (stateDir: string) => path.join(stateDir, 'outbox-roots.json');

async function readRemembered(stateDir: string): Promise<string[]> {
  try {
    const parsed = RootsSchema.safeParse(JSON.parse(await readFile(rootsFile(stateDir), 'utf8')));
    return parsed.success ? parsed.data.roots : [];
  } catch {
    return [];
  }
}

export async function rememberOutboxRoot(stateDir: string, root: string): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await withFileLock(`${rootsFile(stateDir)}.lock`, async () => {
    const roots = await readRemembered(stateDir);
    if (roots.includes(root)) return;
    await writeJsonAtomic(rootsFile(stateDir), { roots: [...roots, root] });
  });
}

export async function knownOutboxRoots(
  config: Config,
  stateDir: string,
  stubVaultLinkTarget: string | null,
): Promise<string[]> {
  const roots = [
    outboxRoot(config, stubVaultLinkTarget).root,
    outboxRoot(config, null).root,
    ...(await readRemembered(stateDir)),
  ];
  return [...new Set(roots.map((r) => path.resolve(r)))];
}

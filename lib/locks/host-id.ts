// A stable id for this machine, kept in `<YTM_STATE_DIR>/host-id`. Recovery and locks compare it instead of
// hostname(), which changes on a MacBook with the network ("dd-mbp.local", "dd-mbp-2.local"): keyed by the
// host name, a crashed run would then look like another machine's and stay "running" forever.
// The file also lists every host name seen here, so records written before the id existed (keyed by a host
// name) are still recognised as this machine's.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { tempPathFor, writeFileAtomic, writeJsonAtomic } from '../fs/atomic.js';

const HostIdSchema = z.object({ id: z.string().min(1), hostnames: z.array(z.string()) });
export type HostIdentity = z.infer<typeof HostIdSchema>;

export const hostIdFile = (stateDir: string) => path.join(stateDir, 'host-id');

async function readIdentity(file: string): Promise<HostIdentity | null> {
  try {
    return HostIdSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return null;
  }
}

/** This machine's identity, created on first use (exclusively: two processes starting at once agree on one id). */
export async function hostIdentity(stateDir: string, name: string = hostname()): Promise<HostIdentity> {
  const file = hostIdFile(stateDir);
  let found = await readIdentity(file);
  if (!found) {
    await mkdir(stateDir, { recursive: true });
    const tmp = tempPathFor(file);
    const fresh: HostIdentity = { id: `${name}#${randomBytes(6).toString('hex')}`, hostnames: [name] };
    await writeFileAtomic(tmp, JSON.stringify(fresh));
    // link(2) fails if the file exists: the first writer wins and everyone reads its id.
    await link(tmp, file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    await rm(tmp, { force: true });
    found = await readIdentity(file);
    if (!found) throw new Error(`${file} is not a host id file; remove it to make a new one`);
  }
  if (!found.hostnames.includes(name)) {
    found = { ...found, hostnames: [...found.hostnames, name] };
    await writeJsonAtomic(file, found);
  }
  return found;
}

/** A record's host (a host id, or a host name from before the id existed) is this machine. */
export function isThisHost(recorded: string, here: HostIdentity): boolean {
  return recorded === here.id || here.hostnames.includes(recorded);
}

import { networkMountRoots, readMountTable } from '../../share/mounts.js';

/** Mountpoints of every network file system in this host's mount table (`mount` itself can block on a hung share). */
export async function networkMountsOp(): Promise<string[]> {
  return networkMountRoots(await readMountTable());
}

import { readdir } from 'node:fs/promises';

/** Entry names of one directory (sorted; no stat of the entries). A missing directory is an op error. */
export async function listDirOp(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

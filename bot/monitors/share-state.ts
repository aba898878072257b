// The share state the outbox monitor saw last, persisted in the state dir so a restart neither re-announces a
// recovery it already announced nor misses one that happened while the bot was down.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';

export interface LastShareState {
  state: string;
  at: string;
}

const file = (stateDir: string) => path.join(stateDir, 'monitors', 'share-state.json');

export async function loadLastShareState(stateDir: string): Promise<LastShareState | undefined> {
  try {
    const v = JSON.parse(await readFile(file(stateDir), 'utf8')) as Partial<LastShareState>;
    return typeof v.state === 'string' && typeof v.at === 'string' ? { state: v.state, at: v.at } : undefined;
  } catch {
    return undefined;
  }
}

export async function saveLastShareState(stateDir: string, v: LastShareState): Promise<void> {
  await mkdir(path.dirname(file(stateDir)), { recursive: true });
  await writeJsonAtomic(file(stateDir), v);
}

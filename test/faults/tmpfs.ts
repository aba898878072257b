/** Real tmpfs mounts for tests (Linux, root). Always `close()` in a `finally`. */
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

export interface TmpfsMount {
  dir: string;
  close(): Promise<void>;
}

const open = new Set<string>();

export async function mountTmpfs(dir: string, sizeMiB = 4): Promise<TmpfsMount> {
  await execa('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', dir]);
  open.add(dir);
  return { dir, close: () => unmount(dir) };
}

export async function bindMount(src: string, dir: string): Promise<TmpfsMount> {
  await execa('mount', ['--bind', src, dir]);
  open.add(dir);
  return { dir, close: () => unmount(dir) };
}

/** Unmounts whatever a test left mounted (for `afterAll`, before removing the temp dir). */
export async function closeAllMounts(): Promise<void> {
  for (const dir of [...open].reverse()) await unmount(dir);
}

async function unmount(dir: string): Promise<void> {
  if (!open.delete(dir)) return;
  const r = await execa('umount', [dir], { reject: false, timeout: 10_000 });
  if (r.exitCode !== 0) await execa('umount', ['-l', dir], { reject: false, timeout: 10_000 });
}

export function canMount(): string | null {
  if (process.platform !== 'linux') return 'mount tests need Linux';
  if (process.getuid?.() !== 0) return 'mount tests need root (CI runs as root)';
  return null;
}

/** Mount a tmpfs of `sizeMiB` on a fresh directory under `parent`, run `fn`, always unmount. */
export async function withTmpfs<T>(parent: string, sizeMiB: number, fn: (mountDir: string) => Promise<T>): Promise<T> {
  const m = await mountTmpfs(await mkdtemp(path.join(parent, 'tmpfs-')), sizeMiB);
  try {
    return await fn(m.dir);
  } finally {
    await m.close();
  }
}

/** Remount an existing tmpfs mount read-only. */
export async function remountReadOnly(dir: string): Promise<void> {
  await execa('mount', ['-o', 'remount,ro', dir]);
}

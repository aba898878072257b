// Test helper: mount a small tmpfs (a real "full disk"). Needs root; CI runs as root on Linux.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

async function probe(): Promise<{ ok: boolean; why: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ytm-tmpfs-probe-'));
  try {
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    await execa('umount', [dir]);
    return { ok: true, why: '' };
  } catch (err) {
    return { ok: false, why: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const probed = await probe();
const isRoot = process.getuid?.() === 0;

/**
 * Skip tmpfs tests only when we are not root and the mount was refused. As root (CI) they never skip:
 * a mount failure there fails the test instead of hiding it.
 */
export const skipTmpfs = !probed.ok && !isRoot;
if (skipTmpfs) console.warn(`tmpfs tests skipped: cannot mount tmpfs without root (${probed.why})`);

/** Mount a tmpfs of `size` (e.g. '1m') on a fresh directory under `parent`, run `fn`, always unmount. */
export async function withTmpfs<T>(parent: string, size: string, fn: (mountDir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(parent, 'tmpfs-'));
  await execa('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  try {
    return await fn(dir);
  } finally {
    await execa('umount', ['-l', dir]);
  }
}

/** Remount an existing tmpfs mount read-only. */
export async function remountReadOnly(dir: string): Promise<void> {
  await execa('mount', ['-o', 'remount,ro', dir]);
}

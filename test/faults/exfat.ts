/**
 * A real case-insensitive volume for tests (Linux, root, Debian packages `exfatprogs` + `exfat-fuse`): an exFAT
 * image on a loop device, mounted through FUSE (this kernel has neither vfat, exfat nor casefold, and
 * `exfat-fuse` refuses a plain image file, hence the loop device). Like a Mac's default disk, names keep the
 * case they were written with and lookups ignore it; unlike it, there are no symlinks and no hard links.
 * ALWAYS `close()` in a `finally`/`afterAll`: it unmounts (lazily if busy), detaches the loop device and
 * removes the image.
 */
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

export interface ExfatMount {
  /** The mountpoint. */
  dir: string;
  close(): Promise<void>;
}

export async function mountExfat(parent: string, sizeMiB = 64): Promise<ExfatMount> {
  const home = await mkdtemp(path.join(parent, 'exfat-'));
  const image = path.join(home, 'volume.img');
  const dir = path.join(home, 'mnt');
  await mkdir(dir);
  const file = await open(image, 'w');
  await file.truncate(sizeMiB * 1024 * 1024);
  await file.close();
  let loop: string | null = null;
  let mounted = false;
  const close = async () => {
    if (mounted) {
      const r = await execa('umount', [dir], { reject: false, timeout: 10_000 });
      if (r.exitCode !== 0) await execa('umount', ['-l', dir], { reject: false, timeout: 10_000 });
      mounted = false;
    }
    if (loop) await execa('losetup', ['-d', loop], { reject: false, timeout: 10_000 });
    loop = null;
    await rm(home, { recursive: true, force: true });
  };
  try {
    await execa('mkfs.exfat', [image]);
    loop = (await execa('losetup', ['--find', '--show', image])).stdout.trim();
    await execa('mount.exfat-fuse', [loop, dir]);
    mounted = true;
    return { dir, close };
  } catch (err) {
    await close();
    throw err;
  }
}

// openDestinationRoot on real mounts: nothing at or above the root is ever created, and a root that left its
// file system (unmounted, or recreated on the bare mountpoint) fails every check with EDESTGONE.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { DEST_GONE, openDestinationRoot } from '../../../lib/share/destination-root.js';
import { bindMount, canMount, closeAllMounts, mountTmpfs } from '../../faults/tmpfs.js';

afterAll(closeAllMounts);

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'ytm-dest-root-'));
}

describe('openDestinationRoot', () => {
  it('a missing root is never created', async () => {
    const dir = scratch();
    try {
      const root = path.join(dir, 'share', 'uploads', 'ns');
      await expect(openDestinationRoot(root)).rejects.toMatchObject({ code: DEST_GONE });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates only the folders below the root, and nothing outside it', async () => {
    const dir = scratch();
    try {
      const root = path.join(dir, 'uploads', 'ns');
      mkdirSync(root, { recursive: true });
      const r = await openDestinationRoot(root);
      await r.mkdirBelow(path.join(root, 'audio_final', 'CH02', '043'));
      expect(existsSync(path.join(root, 'audio_final', 'CH02', '043'))).toBe(true);
      await expect(r.mkdirBelow(path.join(dir, 'elsewhere', 'x'))).rejects.toMatchObject({ code: 'EINVAL' });
      expect(existsSync(path.join(dir, 'elsewhere'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(canMount() !== null)('openDestinationRoot when the share goes away (real mounts)', () => {
  it('unmounted: every check fails and nothing appears under the bare mountpoint; a root recreated there is refused', async () => {
    const dir = scratch();
    const share = path.join(dir, 'share');
    mkdirSync(share);
    try {
      const m = await mountTmpfs(share, 4);
      const root = path.join(share, 'uploads', 'ns');
      mkdirSync(root, { recursive: true });
      const r = await openDestinationRoot(root);
      await r.assertStillThere();
      await m.close();

      await expect(r.assertStillThere()).rejects.toMatchObject({ code: DEST_GONE });
      await expect(r.mkdirBelow(path.join(root, 'scripts'))).rejects.toMatchObject({ code: DEST_GONE });
      expect(readdirSync(share)).toEqual([]);

      // Another tool ran `mkdir -p` on the bare mountpoint: same path, other file system.
      mkdirSync(root, { recursive: true });
      writeFileSync(path.join(root, 'copy.bin'), 'x');
      await expect(r.assertStillThere()).rejects.toMatchObject({ code: DEST_GONE });
      await expect(r.assertStillThere(path.join(root, 'copy.bin'))).rejects.toMatchObject({ code: DEST_GONE });
    } finally {
      await closeAllMounts();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a required mountpoint: refused when not mounted, and a bind mount of the same disk is caught by the mount table', async () => {
    const dir = scratch();
    const disk = path.join(dir, 'disk');
    const share = path.join(dir, 'share');
    try {
      // Everything on one tmpfs, so device numbers alone cannot tell the bare mountpoint from the share.
      await mountTmpfs(dir, 4);
      mkdirSync(path.join(disk, 'uploads', 'ns'), { recursive: true });
      mkdirSync(path.join(share, 'uploads', 'ns'), { recursive: true });
      const root = path.join(share, 'uploads', 'ns');
      await expect(openDestinationRoot(root, { mountpoint: share })).rejects.toMatchObject({ code: DEST_GONE });

      await bindMount(disk, share);
      const r = await openDestinationRoot(root, { mountpoint: share });
      await r.assertStillThere();
      await execa('umount', [share]);
      // The hidden bare `uploads/ns` is back in view, on the same device: only the mount check can tell.
      await expect(r.assertStillThere()).rejects.toThrow(/no longer mounted/);
    } finally {
      await closeAllMounts();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// A share that answers wrong bytes (eio-fs.py's corrupted reads): the copy's read-back must catch it before
// the destination's name changes, so an older file there survives and nothing half-verified is left behind.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFileVerified, VerifyError } from '../../lib/fs/copy-verified.js';
import { eioUnavailable, withEioShare } from '../jobs/support/eio-mount.js';

describe.skipIf(eioUnavailable !== null)('copyFileVerified on a share that corrupts reads', () => {
  it('overwrite: a read-back mismatch keeps the old destination intact and leaves no temp file', async () => {
    await withEioShare(async ({ share, backing, corruptReads }) => {
      const src = path.join(backing, 'src.bin'); // read through the backing dir: only the share lies
      const data = randomBytes(3 * 1024 * 1024 + 5);
      writeFileSync(src, data);
      writeFileSync(path.join(backing, 'uploads', 'old.bin'), 'the old copy');
      corruptReads('.bin');
      const err = await copyFileVerified(src, path.join(share, 'uploads', 'old.bin'), { overwrite: true }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(VerifyError);
      expect((err as VerifyError).message).toMatch(/verification failed/);
      expect(readFileSync(path.join(backing, 'uploads', 'old.bin'), 'utf8')).toBe('the old copy');
      expect(readdirSync(path.join(backing, 'uploads')).sort()).toEqual(['factory_commentary', 'old.bin']);
    });
  });

  it('no clobber: a read-back mismatch leaves no file under the final name', async () => {
    await withEioShare(async ({ share, backing, corruptReads }) => {
      const src = path.join(backing, 'src.bin');
      writeFileSync(src, randomBytes(200_000));
      corruptReads('.bin');
      const err = await copyFileVerified(src, path.join(share, 'uploads', 'new.bin')).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'EVERIFY' });
      expect(readdirSync(path.join(backing, 'uploads'))).toEqual(['factory_commentary']);
    });
  });
});

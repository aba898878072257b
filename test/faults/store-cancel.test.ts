// Cancelling a store from the bot (JobControl: SIGTERM, grace, SIGKILL) while a chunk is being written to a slow
// share: the job child aborts its copy, removes its temp file and exits on its own within the grace. The share's
// writes are slowed (eio-fs.py) so one 1 MiB chunk takes a few seconds, as on a congested SMB link.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobControl } from '../../bot/job-control.js';
import { createLogger } from '../../lib/log.js';
import { eioUnavailable, withEioShare } from '../jobs/support/eio-mount.js';
import { filesUnder, isTemp } from '../jobs/support/files.js';
import { miniWorkspace, sha256Of, writeFile } from '../jobs/support/workspace.js';

const REL = 'misc/big.bin';

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe.skipIf(eioUnavailable !== null)('cancelling a store while it copies to a slow share', () => {
  it('the child removes its temp file before it exits; the source stays, nothing under the final name', async () => {
    await withEioShare(async ({ share, backing, slowWrites }) => {
      const w = miniWorkspace({ shareRoot: share, mountRequired: true, prefix: 'ytm-cancel-ws-' });
      const src = writeFile(path.join(w.ws, REL), randomBytes(6 * 1024 * 1024));
      const before = sha256Of(src);
      const backingBase = path.join(backing, 'uploads', 'factory_commentary');
      const jobs = new JobControl(createLogger({ level: 'silent' }), undefined, w.env);
      slowWrites(12); // per FUSE write (4 KiB-128 KiB): a 1 MiB chunk takes seconds
      const run = jobs.run({ args: ['store', REL, '--run', '--yes', '--events'], timeoutMs: 120_000 });
      await until(() => filesUnder(backingBase).some(isTemp), 'the temp file');
      await jobs.shutdown(); // cancels: SIGTERM, grace, SIGKILL
      const out = await run.done;
      expect(out.status).toBe('cancelled');
      expect(out.signal, out.stderrTail).not.toBe('SIGKILL');
      expect(out.abandoned).toBe(false);
      expect(filesUnder(backingBase).filter((f) => !f.startsWith('manifests/'))).toEqual([]);
      expect(existsSync(src) && sha256Of(src)).toBe(before);
    });
  });
});

// Job-level: the share answers wrong bytes for the copied file (eio-fs.py's corrupted reads), so the copy does not
// verify. `store --move`, `store --symlink-back` and `outbox flush` must fail and keep their source as it was, an
// older copy at the destination survives, and nothing is left under a temp name. And a destination that appears
// while the copy runs is never clobbered.
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eioUnavailable, withEioShare } from '../jobs/support/eio-mount.js';
import { filesUnder, isTemp } from '../jobs/support/files.js';
import { json, ytm } from '../jobs/support/run.js';
import { type MiniWorkspace, miniWorkspace, NS, sha256Of, writeFile } from '../jobs/support/workspace.js';

const WAV = 'audio/final/CH02/044/CH02-044.wav';
const DEST = 'audio_final/CH02/044/CH02-044.wav';

type Applied = { applied?: { state: string; outcomes: { status: string; message: string }[] } };

let w: MiniWorkspace | undefined;
afterEach(async () => {
  if (w) await rm(w.dir, { recursive: true, force: true });
  w = undefined;
});

describe.skipIf(eioUnavailable !== null)('a copy that fails verification keeps its source', () => {
  for (const mode of ['--move', '--symlink-back'] as const) {
    it(`store ${mode}: the source stays a file with its bytes, the old destination stays`, async () => {
      await withEioShare(async ({ share, backing, corruptReads }) => {
        w = miniWorkspace({ shareRoot: share, mountRequired: true, prefix: 'ytm-verify-ws-' });
        const src = path.join(w.ws, WAV);
        const before = sha256Of(src);
        const oldDest = writeFile(path.join(backing, 'uploads', NS, DEST), 'an older copy');
        corruptReads('.wav');
        const r = await ytm(['store', WAV, mode, '--overwrite', '--run', '--yes', '--json'], w.env);
        const out = json<Applied>(r);
        expect(r.exitCode, r.stdout).toBe(1);
        expect(out.applied?.outcomes[0]).toMatchObject({ status: 'failed' });
        expect(out.applied?.outcomes[0]?.message).toMatch(/verification failed/);
        expect(lstatSync(src).isFile()).toBe(true);
        expect(sha256Of(src)).toBe(before);
        expect(readFileSync(oldDest, 'utf8')).toBe('an older copy');
        expect(filesUnder(path.join(backing, 'uploads')).filter(isTemp)).toEqual([]);
      });
    });
  }

  it('outbox flush: the outbox copy stays, nothing under the final name on the share', async () => {
    await withEioShare(async ({ share, backing, corruptReads }) => {
      w = miniWorkspace({ shareRoot: share, mountRequired: true, prefix: 'ytm-verify-ws-' });
      const waiting = writeFile(path.join(w.outboxBase, DEST), randomBytes(300_000));
      const before = sha256Of(waiting);
      corruptReads('.wav');
      const r = await ytm(['outbox', 'flush', '--run', '--yes', '--json'], w.env);
      const out = json<Applied>(r);
      expect(r.exitCode, r.stdout).toBe(1);
      expect(out.applied?.outcomes[0]).toMatchObject({ status: 'failed' });
      expect(sha256Of(waiting)).toBe(before);
      expect(filesUnder(path.join(backing, 'uploads', NS)).filter((f) => !f.startsWith('manifests/'))).toEqual([]);
    });
  });
});

describe.skipIf(eioUnavailable !== null)('a destination that appears while the copy runs', () => {
  it('is not clobbered: the action fails, the newcomer and the source stay, no temp file', async () => {
    await withEioShare(async ({ share, backing, slowWrites }) => {
      w = miniWorkspace({ shareRoot: share, mountRequired: true, prefix: 'ytm-midcopy-ws-' });
      const rel = 'misc/CH02-044-late.bin'; // a posted episode: --move is allowed
      const src = writeFile(path.join(w.ws, rel), randomBytes(2 * 1024 * 1024));
      const before = sha256Of(src);
      const base = path.join(backing, 'uploads', NS);
      slowWrites(3);
      const running = ytm(['store', rel, '--move', '--run', '--yes', '--json'], w.env, { timeoutMs: 120_000 });
      for (let i = 0; i < 600 && !filesUnder(base).some(isTemp); i++) await new Promise((r) => setTimeout(r, 50));
      expect(filesUnder(base).some(isTemp)).toBe(true);
      const dest = filesUnder(base)
        .find(isTemp)
        ?.replace(/\.tmp__(.+)__\d+__[0-9a-f]+$/, '$1') as string;
      writeFileSync(path.join(base, dest), 'someone else was faster');
      const r = await running;
      const out = json<Applied>(r);
      expect(r.exitCode, r.stdout).toBe(1);
      expect(out.applied?.outcomes[0]?.message).toMatch(/already exists|EEXIST/);
      expect(readFileSync(path.join(base, dest), 'utf8')).toBe('someone else was faster');
      expect(sha256Of(src)).toBe(before);
      expect(filesUnder(base).filter(isTemp)).toEqual([]);
    });
  });
});

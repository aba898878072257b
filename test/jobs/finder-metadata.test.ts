// Finder's own files (.DS_Store, ._*, Icon\r, .localized) next to real media: the outbox neither lists nor
// flushes them (no permanent OUTBOX_PENDING), and `store` refuses them by name with the reason.
import { readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finderMetadataReason } from '../../lib/fs/finder-metadata.js';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace, writeFile } from './support/workspace.js';

const FINDER_NAMES = ['.DS_Store', '._CH02-044.wav', 'Icon\r', '.localized'];

let w: MiniWorkspace;
beforeEach(() => {
  w = miniWorkspace();
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

describe('Finder metadata files', () => {
  it('are recognised by name, and ordinary names (even dotted ones) are not', () => {
    for (const n of FINDER_NAMES) expect(finderMetadataReason(n), n).not.toBeNull();
    for (const n of ['CH02-044.wav', '.env', 'Icon', 'Icon.png', '_notes.md', 'x.DS_Store']) {
      expect(finderMetadataReason(n), n).toBeNull();
    }
  });

  it('in the outbox they are not pending and a flush leaves them alone', async () => {
    const stub = path.join(w.share, 'README_MOUNTPOINT.txt');
    writeFileSync(stub, 'offline');
    expect((await ytm(['store', '--episode', 'CH02-044', '--run'], w.env)).exitCode).toBe(0);
    const dir = path.join(w.outboxBase, 'audio_final', 'CH02', '044');
    for (const n of FINDER_NAMES) writeFile(path.join(dir, n), 'finder');
    writeFile(path.join(w.outboxBase, '.DS_Store'), 'finder');

    const listed = json<{ files: { rel: string }[] }>(await ytm(['outbox', '--json'], w.env));
    expect(listed.files.map((f) => f.rel)).toEqual([
      'audio_final/CH02/044/CH02-044.srt',
      'audio_final/CH02/044/CH02-044.wav',
      'scripts/CH02/044/assembled_human.md',
    ]);

    unlinkSync(stub);
    const r = await ytm(['outbox', 'flush', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(json<{ plan: { actions: unknown[] } }>(r).plan.actions).toHaveLength(3);
    expect(readdirSync(dir).sort()).toEqual([...FINDER_NAMES].sort());
    expect(readdirSync(path.join(w.base, 'audio_final', 'CH02', '044')).sort()).toEqual([
      'CH02-044.srt',
      'CH02-044.wav',
    ]);
  });

  it('store refuses each of them with FINDER_METADATA and copies nothing', async () => {
    for (const n of FINDER_NAMES) {
      const rel = path.join('audio', 'final', 'CH02', '044', n);
      writeFile(path.join(w.ws, rel), 'finder');
      const r = await ytm(['store', rel, '--run', '--yes', '--json'], w.env);
      expect(r.exitCode, n).toBe(2);
      const refusal = json<{ plan: { refusals: { code: string; message: string }[] } }>(r).plan.refusals[0];
      expect(refusal?.code).toBe('FINDER_METADATA');
      expect(refusal?.message).toContain('never stored');
    }
    expect(readdirSync(w.base)).toEqual([]);
  });
});

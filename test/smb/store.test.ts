// `ytm store` onto a real SMB share (smbd + smbnetfs, case-insensitive, no hard links, EBUSY on open files): the
// bytes that reach the server equal the source, the manifest is written there, and --symlink-back links locally.
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smbUnavailable } from '../faults/smb-share.js';
import { filesUnder, isTemp, manifestsIn } from '../jobs/support/files.js';
import { json, ytm } from '../jobs/support/run.js';
import { sha256Of } from '../jobs/support/workspace.js';
import { onServer, smbSuite } from './support.js';

type Out = {
  plan: {
    actions: { destState: string }[];
    refusals: { code: string }[];
    preconditions: { share: Record<string, unknown> };
  };
  applied?: { state: string; counts: Record<string, number>; outcomes: { status: string; details?: unknown }[] };
};

const WAV = 'audio/final/CH02/043/CH02-043.wav';
const DEST = 'audio_final/CH02/043/CH02-043.wav';

describe.skipIf(smbUnavailable() !== null)('store onto a real SMB share', () => {
  const s = smbSuite();

  it('--run copies to the server byte for byte, writes the manifest there, leaves no temp; a rerun is up to date', async () => {
    const r = await ytm(['store', WAV, '--run', '--json'], s.w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = json<Out>(r);
    expect(out.plan.preconditions.share).toMatchObject({ state: 'up', offline: false, base: s.w.base });
    expect(out.applied?.state).toBe('succeeded');
    expect(sha256Of(onServer(s.share, s.w, DEST))).toBe(sha256Of(path.join(s.w.ws, WAV)));
    const serverBase = onServer(s.share, s.w, '');
    const [m] = manifestsIn(serverBase);
    expect(m?.doc.shared).toMatchObject({ effective_root: s.share.root, base: s.w.base, offline_fallback: false });
    expect(m?.doc.artifact).toMatchObject({
      dest: path.join(s.w.base, DEST),
      sha256: sha256Of(path.join(s.w.ws, WAV)),
    });
    expect(filesUnder(serverBase).filter(isTemp)).toEqual([]);

    const again = await ytm(['store', WAV, '--run', '--json'], s.w.env);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(json<Out>(again).plan.actions[0]?.destState).toBe('same');
    expect(json<Out>(again).applied?.counts.up_to_date).toBe(1);
  });

  it('a different file under another letter case on the server is the same name on SMB: refused, then --overwrite', async () => {
    const other = onServer(s.share, s.w, 'audio_final/ch02/043/ch02-043.WAV');
    mkdirSync(path.dirname(other), { recursive: true });
    writeFileSync(other, 'someone else');
    const refused = await ytm(['store', WAV, '--run', '--json'], s.w.env);
    expect(refused.exitCode).toBe(2);
    expect(json<Out>(refused).plan.refusals.map((x) => x.code)).toEqual(['DEST_DIFFERS']);
    expect(readFileSync(other, 'utf8')).toBe('someone else');

    const r = await ytm(['store', WAV, '--overwrite', '--run', '--yes', '--json'], s.w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    // SMB kept the server's spelling of the name and replaced the bytes in place.
    expect(filesUnder(onServer(s.share, s.w, '')).filter((f) => !f.startsWith('manifests/'))).toEqual([
      'audio_final/ch02/043/ch02-043.WAV',
    ]);
    expect(sha256Of(other)).toBe(sha256Of(path.join(s.w.ws, WAV)));
  });

  it('--overwrite while the destination is open over SMB fails with EBUSY: old bytes kept, no temp left', async () => {
    const old = onServer(s.share, s.w, DEST);
    mkdirSync(path.dirname(old), { recursive: true });
    writeFileSync(old, 'old');
    // Someone has the file open through the share (an SMB open: renaming over it is a sharing violation).
    const holder = spawn(
      'bash',
      ['-c', 'exec 3<"$1"; echo open; exec sleep 120', 'holder', path.join(s.w.base, DEST)],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    try {
      await new Promise((resolve) => holder.stdout.once('data', resolve));
      const r = await ytm(['store', WAV, '--overwrite', '--run', '--yes', '--json'], s.w.env);
      expect(r.exitCode).toBe(1);
      const out = json<Out>(r);
      expect(out.applied?.outcomes[0]).toMatchObject({ status: 'failed', details: { code: 'EBUSY' } });
    } finally {
      holder.kill('SIGKILL');
    }
    expect(readFileSync(old, 'utf8')).toBe('old');
    expect(filesUnder(onServer(s.share, s.w, '')).filter(isTemp)).toEqual([]);
  });

  it('--symlink-back on a posted episode: verified copy on the server, the local source becomes a link to it', async () => {
    const wav = path.join(s.w.ws, 'audio/final/CH02/044/CH02-044.wav');
    const before = sha256Of(wav);
    const r = await ytm(['store', '--episode', 'CH02-044', '--symlink-back', '--run', '--yes'], s.w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const dest = path.join(s.w.base, 'audio_final/CH02/044/CH02-044.wav');
    expect(lstatSync(wav).isSymbolicLink()).toBe(true);
    expect(readlinkSync(wav)).toBe(dest);
    expect(sha256Of(onServer(s.share, s.w, 'audio_final/CH02/044/CH02-044.wav'))).toBe(before);
    expect(sha256Of(wav)).toBe(before); // read through the link, over SMB
  });

  it('a frozen smbd: the share is hung, the file goes to the local outbox and the run still ends', async () => {
    s.share.freeze();
    try {
      const r = await ytm(['store', WAV, '--run', '--json'], { ...s.w.env, YTM_SHARE_PROBE_TIMEOUT_MS: '1500' });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(json<Out>(r).plan.preconditions.share).toMatchObject({ state: 'hung', offline: true });
      expect(json<Out>(r).applied?.state).toBe('succeeded');
      expect(sha256Of(path.join(s.w.outboxBase, DEST))).toBe(sha256Of(path.join(s.w.ws, WAV)));
    } finally {
      s.share.thaw();
    }
    expect(filesUnder(onServer(s.share, s.w, ''))).toEqual([]);
  });
});

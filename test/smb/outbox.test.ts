// `ytm outbox flush --run` onto a real SMB share: what a store left in the local outbox while the share showed its
// stub reaches the server byte for byte after recovery, with new manifests, and the outbox copies go only then.
import { unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smbUnavailable } from '../faults/smb-share.js';
import { filesUnder, manifestsIn } from '../jobs/support/files.js';
import { json, ytm } from '../jobs/support/run.js';
import { sha256Of } from '../jobs/support/workspace.js';
import { onServer, smbSuite } from './support.js';

describe.skipIf(smbUnavailable() !== null)('outbox flush onto a real SMB share', () => {
  const s = smbSuite();

  it('flush copies the waiting files to the server, verified, writes manifests, then empties the outbox', async () => {
    const stub = path.join(s.share.serverDir, 'README_MOUNTPOINT.txt'); // the stub, as seen through SMB
    writeFileSync(stub, 'offline');
    const stored = await ytm(['store', '--episode', 'CH02-044', '--run'], s.w.env);
    expect(stored.exitCode, stored.stderr).toBe(0);
    const waiting = () => filesUnder(s.w.outboxBase).filter((f) => !f.startsWith('manifests/'));
    expect(waiting()).toHaveLength(3);
    expect(filesUnder(onServer(s.share, s.w, ''))).toEqual([]);

    unlinkSync(stub);
    const hashes = Object.fromEntries(waiting().map((f) => [f, sha256Of(path.join(s.w.outboxBase, f))]));
    const r = await ytm(['outbox', 'flush', '--run', '--yes', '--json'], s.w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(json<{ applied?: { state: string } }>(r).applied?.state).toBe('succeeded');
    for (const [rel, sha] of Object.entries(hashes)) expect(sha256Of(onServer(s.share, s.w, rel))).toBe(sha);
    expect(waiting()).toEqual([]);
    const flushed = manifestsIn(onServer(s.share, s.w, ''));
    expect(flushed).toHaveLength(3);
    for (const m of flushed) {
      expect(m.doc.shared).toMatchObject({ offline_fallback: false, effective_root: s.share.root });
      expect(m.doc.shared.flushed_from).toBe(path.join(s.w.outboxBase, path.relative(s.w.base, m.doc.artifact.dest)));
    }
  });
});

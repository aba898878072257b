// `ytm vault` against a real SMB share (smbd + the smbnetfs FUSE client, test/faults/smb-share.ts). This client
// shows no symlinks at all: the server follows a link inside the share and serves it as the file or folder it
// names (smb-share-notes.md), and symlink(2) answers ENOSYS. So over this client the vault job finds no link to
// rewrite: its whole scan, the required-folder step and the report run over SMB, and the links on the server
// are left exactly as they were.
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smbUnavailable } from '../faults/smb-share.js';
import { smbSuite } from '../smb/support.js';
import { json, ytm } from './support/run.js';
import { INTO_SHARE, plantVault } from './vault-fixture.js';

describe.skipIf(smbUnavailable() !== null)('ytm vault on a real SMB share', () => {
  const s = smbSuite();

  it('scans the whole vault over SMB, ensures video/runs on the server, leaves server-side links as they are', async () => {
    const server = s.share.serverDir;
    const v = plantVault(server, server, path.join(s.w.dir, 'outside'));
    const before = Object.keys(INTO_SHARE).map((rel) => readlinkSync(path.join(v.vault, rel)));

    const r = await ytm(['vault', '--run', '--json'], s.w.env, { timeoutMs: 90_000 });
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    const out = json<{
      plan: { actions: { op: string; path?: string }[]; summary: string };
      applied?: { state: string };
    }>(r);
    expect(out.plan.actions.map((a) => `${a.op}${a.path ? ` ${a.path}` : ''}`)).toEqual([
      'ensure-dir video/runs',
      'report',
    ]);
    expect(out.plan.summary).toContain('make 0 absolute link(s)');
    expect(out.applied?.state).toBe('succeeded');

    expect(existsSync(path.join(v.vault, 'video', 'runs'))).toBe(true);
    expect(Object.keys(INTO_SHARE).map((rel) => readlinkSync(path.join(v.vault, rel)))).toEqual(before);
    expect(readlinkSync(v.outsideLink)).toBe(v.outsideTarget);
    expect(readdirSync(path.join(s.w.ws, 'logs', 'ops', 'vault_workspaces_doctor'))).toHaveLength(1);
  });
});

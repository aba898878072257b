// One real SMB share per test file, and a fresh mini workspace on it for each test: YTM_SHARED_STORAGE_ROOT is the
// share's bind-mounted root and a mount is required, so every share access of the real `ytm` child goes over SMB.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type SmbShare, startSmbShare } from '../faults/smb-share.js';
import { type MiniWorkspace, miniWorkspace } from '../jobs/support/workspace.js';

/** Empties the share server-side (fast, and never blocks on SMB), then builds a workspace storing onto it. */
export function smbWorkspace(share: SmbShare): MiniWorkspace {
  for (const name of readdirSync(share.serverDir)) {
    rmSync(path.join(share.serverDir, name), { recursive: true, force: true });
  }
  return miniWorkspace({ shareRoot: share.root, mountRequired: true, prefix: 'ytm-smb-ws-' });
}

/** The server-side path of a file the workspace stored under the share's base (`uploads/<ns>/…`). */
export function onServer(share: SmbShare, w: MiniWorkspace, rel: string): string {
  return path.join(share.serverDir, path.relative(share.root, w.base), rel);
}

/** The hooks of a describe block: one SMB share for the block, a fresh workspace on it for each test. */
export function smbSuite(): { share: SmbShare; w: MiniWorkspace } {
  const s = {} as { share: SmbShare; w: MiniWorkspace };
  beforeAll(async () => {
    s.share = await startSmbShare();
  });
  afterAll(() => s.share?.stop());
  beforeEach(() => {
    s.w = smbWorkspace(s.share);
  });
  afterEach(() => rmSync(s.w.dir, { recursive: true, force: true }));
  return s;
}

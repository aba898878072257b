// Needs a build: the share probe runs in dist/lib/guard/child.js (`npm test` builds first; otherwise `npm run build`).
// Mount tests need Linux + root (CI runs as root) and, for the hung share, Debian packages fuse3 + python3-fusepy.
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../../lib/guard/entry.js';
import { checkShare } from '../../../lib/share/check.js';
import { probeShareInline } from '../../../lib/share/probe.js';
import { closeAllStallingMounts, mountStallingFs, stallFsUnavailableReason } from '../../faults/stall-mount.js';
import { bindMount, canMount, closeAllMounts, mountTmpfs } from '../../faults/tmpfs.js';
import { assertBuilt } from './dist-check.js';

const NS = 'factory_commentary';
// Probes that should answer get a generous timeout, so a slow CI machine cannot turn them into 'hung'.
const OK_TIMEOUT = 15_000;
const noMount = canMount();
const noFuse = stallFsUnavailableReason();
let tmp: string;
/** Where the probe leases live (YTM_STATE_DIR). */
let stateDir: string;

beforeAll(async () => {
  assertBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'ytm-share-'));
  stateDir = path.join(tmp, 'state');
});

// Safety net for a test that timed out before its own finally: never leave a stalled mount or a tmpfs behind.
afterEach(async () => {
  await closeAllStallingMounts();
});

afterAll(async () => {
  await closeAllStallingMounts();
  await closeAllMounts();
  await rm(tmp, { recursive: true, force: true });
});

async function freshDir(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

describe('checkShare: the six states', () => {
  it('unconfigured: no root, without spawning a probe', async () => {
    for (const root of [null, '', '   ']) {
      const r = await checkShare({ root, namespace: NS, stateDir, mountRequired: true, timeoutMs: OK_TIMEOUT });
      expect(r).toMatchObject({ state: 'unconfigured', reason: 'YTM_SHARED_STORAGE_ROOT is not set', ms: 0 });
    }
    const badNs = await checkShare({
      root: tmp,
      namespace: '../x',
      stateDir,
      mountRequired: true,
      timeoutMs: OK_TIMEOUT,
    });
    expect(badNs).toMatchObject({ state: 'unconfigured', reason: expect.stringContaining('one directory name') });
  });

  it('stub: README_MOUNTPOINT.txt at the root wins over everything else; the ytm_workspaces link target is returned', async () => {
    const root = await freshDir('stub');
    await mkdir(path.join(root, 'uploads', NS), { recursive: true });
    await writeFile(path.join(root, 'README_MOUNTPOINT.txt'), 'share offline; this is a local stub\n');
    const target = '/Users/dd/mounts/lenovo_share_real__LOCAL_BACKUP__20260101/outbox/ytm_share/ytm_workspaces';
    await symlink(target, path.join(root, 'ytm_workspaces'));
    const r = await checkShare({ root, namespace: NS, stateDir, mountRequired: true, timeoutMs: OK_TIMEOUT });
    expect(r).toMatchObject({
      state: 'stub',
      reason: 'mountpoint stub detected (README_MOUNTPOINT.txt)',
      root,
      base: path.join(root, 'uploads', NS),
      isMountpoint: false,
      stubVaultLinkTarget: target,
    });
    expect(Number.isNaN(Date.parse(r.checkedAt))).toBe(false);

    await rm(path.join(root, 'ytm_workspaces'));
    await mkdir(path.join(root, 'ytm_workspaces'));
    const plain = await checkShare({ root, namespace: NS, stateDir, mountRequired: false, timeoutMs: OK_TIMEOUT });
    expect(plain.state).toBe('stub');
    expect(plain).not.toHaveProperty('stubVaultLinkTarget');
  });

  it('unmounted: a plain directory when a mount is required; a missing root or a file says so', async () => {
    const root = await freshDir('plain');
    await mkdir(path.join(root, 'uploads', NS), { recursive: true });
    const r = await checkShare({ root, namespace: NS, stateDir, mountRequired: true, timeoutMs: OK_TIMEOUT });
    expect(r).toMatchObject({
      state: 'unmounted',
      isMountpoint: false,
      reason: `shared storage not mounted (not a mountpoint: ${root})`,
    });
    // The same directory is fine when no mount is required.
    const allowed = await checkShare({ root, namespace: NS, stateDir, mountRequired: false, timeoutMs: OK_TIMEOUT });
    expect(allowed).toMatchObject({ state: 'up', isMountpoint: false });

    const missing = await checkShare({
      root: path.join(tmp, 'no-such-dir'),
      namespace: NS,
      stateDir,
      mountRequired: true,
      timeoutMs: OK_TIMEOUT,
    });
    expect(missing).toMatchObject({
      state: 'unmounted',
      reason: expect.stringContaining('shared storage root missing'),
    });
    const file = path.join(tmp, 'a-file');
    await writeFile(file, '');
    const notDir = await checkShare({
      root: file,
      namespace: NS,
      stateDir,
      mountRequired: false,
      timeoutMs: OK_TIMEOUT,
    });
    expect(notDir).toMatchObject({ state: 'unmounted', reason: expect.stringContaining('not a directory') });
  });

  it.skipIf(noMount)(`degraded: a real tmpfs mount without uploads/<ns> (${noMount ?? 'root'})`, async () => {
    const root = await freshDir('degraded');
    const m = await mountTmpfs(root);
    try {
      await mkdir(path.join(root, 'uploads', 'another_namespace'), { recursive: true });
      const r = await checkShare({ root, namespace: NS, stateDir, mountRequired: true, timeoutMs: OK_TIMEOUT });
      expect(r).toMatchObject({
        state: 'degraded',
        isMountpoint: true,
        fsType: 'tmpfs',
        reason: `shared storage mounted but base is missing: ${path.join(root, 'uploads', NS)}`,
      });
    } finally {
      await m.close();
    }
  });

  it.skipIf(noMount)(`up: a real tmpfs mount with uploads/<ns> (${noMount ?? 'root'})`, async () => {
    const root = await freshDir('up');
    const m = await mountTmpfs(root);
    try {
      await mkdir(path.join(root, 'uploads', NS), { recursive: true });
      await mkdir(path.join(root, 'ytm_workspaces'));
      const r = await checkShare({
        root,
        namespace: NS,
        stateDir,
        mountRequired: true,
        vaultRoot: path.join(root, 'ytm_workspaces'),
        timeoutMs: OK_TIMEOUT,
      });
      expect(r).toMatchObject({ state: 'up', isMountpoint: true, fsType: 'tmpfs', vaultRootExists: true });
    } finally {
      await m.close();
    }
    // Unmounted again: the very same directory is no longer a mountpoint.
    expect(
      (await checkShare({ root, namespace: NS, stateDir, mountRequired: true, timeoutMs: OK_TIMEOUT })).state,
    ).toBe('unmounted');
  });

  it.skipIf(noFuse)(
    `hung: a FUSE share that stalls is 'hung' within the timeout, and nothing here blocks (${noFuse ?? 'root'})`,
    async () => {
      const root = await freshDir('hung');
      const localFile = path.join(tmp, 'local.txt');
      await writeFile(localFile, 'local');
      const timeoutMs = 1500; // for the stalled probes; healthy ones get a generous timeout (slow CI must not flake)
      const m = await mountStallingFs(root, { stalled: false, namespace: NS });
      try {
        // Healthy first: the FUSE share is a real mount with uploads/<ns>.
        const healthy = await checkShare({ root, namespace: NS, stateDir, mountRequired: true, timeoutMs: OK_TIMEOUT });
        expect(healthy).toMatchObject({ state: 'up', isMountpoint: true, fsType: expect.stringMatching(/^fuse/) });

        await m.stall();
        const hung = await checkShare({ root, namespace: NS, stateDir, mountRequired: true, timeoutMs });
        expect(hung).toMatchObject({
          state: 'hung',
          reason: `share probe timed out after ${timeoutMs}ms`,
          root,
          base: path.join(root, 'uploads', NS),
        });

        // More stuck probes than libuv has pool threads: if any ran in this process, the stat below would freeze.
        const many = await Promise.all(
          Array.from({ length: 6 }, () =>
            checkShare({ root, namespace: NS, stateDir, mountRequired: true, timeoutMs: 500 }),
          ),
        );
        expect(many.map((r) => r.state)).toEqual(Array(6).fill('hung'));
        const local = await Promise.all(Array.from({ length: 8 }, () => stat(localFile)));
        expect(local.every((s) => s.size === 5)).toBe(true);

        // A process that probed a hung share can still exit on its own (stuck children are unref'd, pipes closed).
        // It keeps its own leases, so it really starts a child of its own.
        const script = [
          `import { checkShare } from ${JSON.stringify(compiledEntry('lib/share/check.js'))};`,
          `const r = await checkShare({ root: ${JSON.stringify(root)}, namespace: '${NS}', stateDir: ${JSON.stringify(path.join(tmp, 'state-sub'))}, mountRequired: true, timeoutMs: 500 });`,
          'console.log(JSON.stringify(r));',
        ].join('\n');
        const sub = await execa(process.execPath, ['--input-type=module', '-e', script], {
          timeout: 15_000,
          reject: false,
        });
        expect(sub.timedOut).toBe(false);
        expect(sub.exitCode).toBe(0);
        expect(JSON.parse(sub.stdout)).toMatchObject({ state: 'hung' });

        // The mount recovers: once the stuck probe has finished, its lease is free and the probe answers 'up'.
        await m.unstall();
        await expect
          .poll(
            async () =>
              (await checkShare({ root, namespace: NS, stateDir, mountRequired: true, timeoutMs: OK_TIMEOUT })).state,
            {
              timeout: 10_000,
              interval: 100,
            },
          )
          .toBe('up');
      } finally {
        await m.close();
      }
    },
  );
});

describe('probeShareInline details (real mounts)', () => {
  it.skipIf(noMount)('a bind mount (same device id as its parent) is found through the mount table', async () => {
    const src = await freshDir('bind-src');
    await mkdir(path.join(src, 'uploads', NS), { recursive: true });
    const root = await freshDir('bind-dst');
    const before = await probeShareInline({ root, namespace: NS, mountRequired: true });
    expect(before.state).toBe('unmounted');
    const m = await bindMount(src, root);
    try {
      const [a, b] = await Promise.all([stat(root), stat(path.dirname(root))]);
      expect(a.dev).toBe(b.dev); // only the mount table can tell
      const r = await probeShareInline({ root, namespace: NS, mountRequired: true });
      expect(r).toMatchObject({ state: 'up', isMountpoint: true });
      // Without the mount table, the device id alone cannot see it.
      const blind = await probeShareInline(
        { root, namespace: NS, mountRequired: true },
        { mountTable: async () => [] },
      );
      expect(blind.state).toBe('unmounted');
    } finally {
      await m.close();
    }
  });

  it.skipIf(noMount)(
    'a mount whose path has a space; a root named uploads; a root reached through a symlink',
    async () => {
      const root = await freshDir('with space/uploads');
      const m = await mountTmpfs(root);
      try {
        await mkdir(path.join(root, NS));
        const r = await probeShareInline({ root, namespace: NS, mountRequired: true });
        expect(r).toMatchObject({ state: 'up', fsType: 'tmpfs', base: path.join(root, NS) });
        // configured as a link named uploads elsewhere (the base rule uses the configured name)
        const link = path.join(await freshDir('link-holder'), 'uploads');
        await symlink(root, link);
        const viaLink = await probeShareInline({ root: link, namespace: NS, mountRequired: true });
        expect(viaLink).toMatchObject({
          state: 'up',
          isMountpoint: true,
          fsType: 'tmpfs',
          root: link,
          base: path.join(link, NS),
        });
      } finally {
        await m.close();
      }
    },
  );
});

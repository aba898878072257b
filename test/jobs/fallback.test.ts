// `ytm fallback` (facts §4.5) on a workspace whose video/input links point into a share that is down (stub):
// broken links are materialised from the newest local archive (or as an empty folder with the README), their
// links kept as backups; a copy that fails rolls back; nothing happens while the share is up. `fallback restore`
// links the folders back once the share is up and has the content, and keeps newer local work.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookupJob } from '../../jobs/apply/registry.js';
import { applyStoredPlan } from '../../jobs/engine/apply.js';
import { type FallbackInput, fallbackJob } from '../../jobs/fallback/job.js';
import { parseCommandLine } from '../../jobs/grammar.js';
import { closeAllStallingMounts, mountStallingFs, stallFsUnavailableReason } from '../faults/stall-mount.js';
import { eioUnavailable, withEioShare } from './support/eio-mount.js';
import { storedJobPlan } from './support/engine.js';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace, NS, writeFile } from './support/workspace.js';

afterAll(closeAllStallingMounts);

const CH02 = 'CH02_哲学系';
const CH05 = 'CH05_雑学';
const OLD_BACKUP = 'CH04_昔.symlink_shared_backup_20260101T000000Z';
const SHARE_INPUT = 'archive/mac_assets/10_YouTube_Automation/factory_commentary/workspaces/video/input';
const ARCHIVED_AT = new Date('2026-01-10T00:00:00Z');

interface Fixture {
  input: string;
  targets: Record<string, string>;
  archived: string;
}

/** Share down (stub), two broken links into it (one with local archives), one reachable, one old backup. */
function plant(w: MiniWorkspace): Fixture {
  writeFileSync(path.join(w.share, 'README_MOUNTPOINT.txt'), 'share is offline\n');
  const input = path.join(w.ws, 'video', 'input');
  mkdirSync(input, { recursive: true });
  const targets: Record<string, string> = {};
  for (const name of [CH02, CH05]) {
    targets[name] = path.join(w.share, SHARE_INPUT, name);
    symlinkSync(targets[name] as string, path.join(input, name));
  }
  mkdirSync(path.join(w.share, 'reachable'));
  symlinkSync(path.join(w.share, 'reachable'), path.join(input, 'CH06_ok'));
  symlinkSync(path.join(w.share, SHARE_INPUT, 'CH04_昔'), path.join(input, OLD_BACKUP));
  // Two archives of CH02: the newest wins; its folder name is NFD, as macOS writes it.
  const archived = path.join(w.ws, 'video/_archive/20260110T000000Z/CH02/video_input', CH02.normalize('NFD'));
  for (const [f, text] of [
    ['CH02-024.wav', 'wav v2'],
    ['CH02-024.srt', 'srt v1'],
  ] as const) {
    writeFile(path.join(archived, f), text);
    utimesSync(path.join(archived, f), ARCHIVED_AT, ARCHIVED_AT);
  }
  writeFile(path.join(w.ws, 'video/_archive/20251201T000000Z/CH02/video_input', CH02, 'CH02-024.wav'), 'wav v1');
  return { input, targets, archived };
}

interface FallbackRun {
  plan: { actions: { op: string; name: string }[]; warnings: string[]; refusals: { code: string }[]; summary: string };
  applied?: { state: string; outcomes: { status: string; message: string }[] };
}

const backupsOf = (input: string, name: string) =>
  readdirSync(input).filter((n) => n.startsWith(`${name}.symlink_shared_backup_`));

let w: MiniWorkspace;
beforeEach(() => {
  w = miniWorkspace({ prefix: 'ytm-fallback-' });
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

describe('ytm fallback (share down)', () => {
  it('materialises broken links: newest archive copied, else an empty folder with the README; links kept as backups', async () => {
    const f = plant(w);
    const r = await ytm(['fallback', '--run', '--json'], w.env);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    const out = json<FallbackRun>(r);
    expect(out.plan.actions.map((a) => a.name)).toEqual([CH02, CH05]);
    expect(out.applied?.state).toBe('succeeded');

    const ch02 = path.join(f.input, CH02);
    expect(statSync(ch02).isDirectory()).toBe(true);
    expect(readFileSync(path.join(ch02, 'CH02-024.wav'), 'utf8')).toBe('wav v2');
    expect(statSync(path.join(ch02, 'CH02-024.srt')).mtimeMs).toBe(ARCHIVED_AT.getTime());
    const [b02] = backupsOf(f.input, CH02);
    expect(b02).toMatch(/^CH02_哲学系\.symlink_shared_backup_\d{8}T\d{6}Z$/);
    expect(readlinkSync(path.join(f.input, b02 as string))).toBe(f.targets[CH02]);

    const ch05 = path.join(f.input, CH05);
    expect(readdirSync(ch05)).toEqual(['README_OFFLINE_FALLBACK.txt']);
    expect(readFileSync(path.join(ch05, 'README_OFFLINE_FALLBACK.txt'), 'utf8')).toContain('ytm fallback restore');
    expect(readlinkSync(path.join(f.input, backupsOf(f.input, CH05)[0] as string))).toBe(f.targets[CH05]);

    // Reachable links and old backups are left alone; the archive is untouched.
    expect(readlinkSync(path.join(f.input, 'CH06_ok'))).toBe(path.join(w.share, 'reachable'));
    expect(readlinkSync(path.join(f.input, OLD_BACKUP))).toBe(path.join(w.share, SHARE_INPUT, 'CH04_昔'));
    expect(readFileSync(path.join(f.archived, 'CH02-024.wav'), 'utf8')).toBe('wav v2');
    expect(readdirSync(f.input).filter((n) => n.startsWith('.tmp__'))).toEqual([]);

    // A second run finds nothing left to do.
    expect(json<FallbackRun>(await ytm(['fallback', '--json'], w.env)).plan.actions).toEqual([]);
  });

  it('refuses while the share is up, and changes nothing', async () => {
    const f = plant(w);
    rmSync(path.join(w.share, 'README_MOUNTPOINT.txt'));
    const r = await ytm(['fallback', '--run', '--json'], w.env);
    expect(r.exitCode).toBe(2);
    expect(json<FallbackRun>(r).plan.refusals.map((x) => x.code)).toEqual(['SHARE_UP']);
    expect(readlinkSync(path.join(f.input, CH02))).toBe(f.targets[CH02]);
    expect(backupsOf(f.input, CH02)).toEqual([]);
  });

  it.skipIf(eioUnavailable !== null)(
    'rolls back when the copy fails (EIO): the link stays, nothing of the run is left',
    async () => {
      await withEioShare(async (s) => {
        const v = miniWorkspace({ repoParent: s.share, prefix: 'ytm-fallback-eio-' });
        try {
          const f = plant(v);
          writeFileSync(s.flag, ''); // the next fsync on the mount (the archive copy's) answers EIO
          const r = await ytm(['fallback', '--run', '--json'], v.env);
          expect(r.exitCode, r.stdout).toBe(1);
          const out = json<FallbackRun>(r);
          const [first] = out.applied?.outcomes ?? [];
          expect(first?.status).toBe('failed');
          // The copy is built and verified beside the link first, so the link never left its name.
          expect(first?.message).toMatch(/EIO.*rolled back, the link is as before/);
          expect(readlinkSync(path.join(f.input, CH02))).toBe(f.targets[CH02]);
          expect(backupsOf(f.input, CH02)).toEqual([]);
          expect(readdirSync(f.input).filter((n) => n.startsWith('.tmp__'))).toEqual([]);
          expect(readFileSync(path.join(f.archived, 'CH02-024.wav'), 'utf8')).toBe('wav v2');
        } finally {
          rmSync(v.dir, { recursive: true, force: true });
        }
      });
    },
  );
});

describe.skipIf(stallFsUnavailableReason() !== null)('ytm fallback while the share hangs (FUSE stall)', () => {
  it('materialises without ever touching the share: its links count as broken', { timeout: 90_000 }, async () => {
    const dir = path.join(w.dir, 'hung');
    mkdirSync(dir);
    const mount = await mountStallingFs(dir, { stalled: false, namespace: NS });
    try {
      const v = miniWorkspace({ shareRoot: mount.dir, prefix: 'ytm-fallback-hung-' });
      try {
        const input = path.join(v.ws, 'video', 'input');
        mkdirSync(input, { recursive: true });
        const target = path.join(mount.dir, SHARE_INPUT, CH05);
        symlinkSync(target, path.join(input, CH05));
        await mount.stall();
        const r = await ytm(
          ['fallback', '--run', '--json'],
          { ...v.env, YTM_SHARE_PROBE_TIMEOUT_MS: '1000' },
          {
            timeoutMs: 60_000,
          },
        );
        expect(r.exitCode, r.stderr + r.stdout).toBe(0);
        const out = json<FallbackRun>(r);
        expect(out.plan.summary).toMatch(/^share hung: materialise 1 broken/);
        expect(out.applied?.state).toBe('succeeded');
        expect(readdirSync(path.join(input, CH05))).toEqual(['README_OFFLINE_FALLBACK.txt']);
        expect(readlinkSync(path.join(input, backupsOf(input, CH05)[0] as string))).toBe(target);
      } finally {
        rmSync(v.dir, { recursive: true, force: true });
      }
    } finally {
      await mount.close();
    }
  });
});

describe('ytm fallback restore (share back)', () => {
  it('links folders back when the share has the content, and keeps a folder holding newer local work', async () => {
    const f = plant(w);
    expect((await ytm(['fallback', '--run', '--json'], w.env)).exitCode).toBe(0);
    const refused = await ytm(['fallback', 'restore', '--json'], w.env);
    expect(json<FallbackRun>(refused).plan.refusals.map((x) => x.code)).toEqual(['SHARE_DOWN']);

    // Work while the share is down: a new take of CH05-001 exists only here.
    const ch05 = path.join(f.input, CH05);
    writeFileSync(path.join(ch05, 'CH05-001.wav'), 'local take, newer');
    // The share comes back with the content: CH02's wav is the same, its srt was updated on the share since.
    rmSync(path.join(w.share, 'README_MOUNTPOINT.txt'));
    writeFile(path.join(f.targets[CH02] as string, 'CH02-024.wav'), 'wav v2');
    writeFile(path.join(f.targets[CH02] as string, 'CH02-024.srt'), 'srt v2');
    writeFile(path.join(f.targets[CH05] as string, 'CH05-001.wav'), 'share take, older');
    const older = new Date(Date.now() - 3_600_000);
    utimesSync(path.join(f.targets[CH05] as string, 'CH05-001.wav'), older, older);

    const r = await ytm(['fallback', 'restore', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    const out = json<FallbackRun>(r);
    expect(out.plan.actions.map((a) => a.name)).toEqual([CH02]);
    expect(out.applied?.state).toBe('succeeded');
    expect(out.plan.warnings.join('\n')).toMatch(/CH05_雑学: kept, not linked back .*CH05-001\.wav: newer/);

    expect(readlinkSync(path.join(f.input, CH02))).toBe(f.targets[CH02]);
    expect(readFileSync(path.join(f.input, CH02, 'CH02-024.srt'), 'utf8')).toBe('srt v2');
    expect(backupsOf(f.input, CH02)).toEqual([]);

    expect(statSync(ch05).isDirectory()).toBe(true);
    expect(readFileSync(path.join(ch05, 'CH05-001.wav'), 'utf8')).toBe('local take, newer');
    expect(backupsOf(f.input, CH05)).toHaveLength(1);
    // An older backup whose target the share does not have stays as it is, and the plan says why.
    expect(readlinkSync(path.join(f.input, OLD_BACKUP))).toBe(path.join(w.share, SHARE_INPUT, 'CH04_昔'));
    expect(out.plan.warnings.join('\n')).toMatch(/CH04_昔: left as it is — the share has no/);
    expect(existsSync(path.join(f.input, 'CH04_昔'))).toBe(false);
  });

  it('a file written into the local folder after the restore plan: stale, the folder and its file stay', async () => {
    const f = plant(w);
    expect((await ytm(['fallback', '--run', '--json'], w.env)).exitCode).toBe(0);
    rmSync(path.join(w.share, 'README_MOUNTPOINT.txt'));
    writeFile(path.join(f.targets[CH02] as string, 'CH02-024.wav'), 'wav v2');
    writeFile(path.join(f.targets[CH02] as string, 'CH02-024.srt'), 'srt v1');
    const restore: FallbackInput = { action: 'restore' };
    const { planId, ctx } = await storedJobPlan(fallbackJob, w.env, restore);
    writeFileSync(path.join(f.input, CH02, 'notes.txt'), 'written after the plan');
    const summary = await applyStoredPlan(w.state, planId, ctx, lookupJob);
    expect(summary.state).toBe('stale');
    expect(readFileSync(path.join(f.input, CH02, 'notes.txt'), 'utf8')).toBe('written after the plan');
    expect(backupsOf(f.input, CH02)).toHaveLength(1);
  });

  it('grammar: `fallback` materialises, `fallback restore` restores, anything else is a usage error', () => {
    const a = parseCommandLine(['fallback']);
    expect(a.ok && a.command.input.action).toBe(undefined);
    const b = parseCommandLine(['fallback', 'restore', '--run']);
    expect(b.ok && b.command.input).toEqual({ action: 'restore', run: true });
    const c = parseCommandLine(['fallback', 'flush']);
    expect(c.ok).toBe(false);
    expect(!c.ok && c.error).toMatch(/fallback restore/);
  });
});

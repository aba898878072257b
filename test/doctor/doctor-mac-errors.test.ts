// macOS realities in the doctor's link and Hot checks, with injected error codes (a root Linux box cannot get
// EPERM from privacy settings): only ENOENT/ENOTDIR/ELOOP mean broken or missing; EPERM/EACCES/EIO make the
// check "could not check" with a hint to grant access. Targets on a network mount other than the configured
// share are never stat'ed in this process: a guarded child checks them.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkHot } from '../../jobs/doctor/hot.js';
import { scanLinks } from '../../jobs/doctor/links.js';
import type { Episode } from '../../jobs/doctor/planning.js';
import { codedError } from '../../lib/fs/errors.js';
import { existsOp } from '../../lib/guard/ops/exists.js';
import type { Paths } from '../../lib/paths.js';

const h = vi.hoisted(() => ({ faults: new Map<string, string>(), statCalls: [] as string[] }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const stat = ((p: string, ...rest: []) => {
    h.statCalls.push(String(p));
    for (const [prefix, code] of h.faults) {
      if (String(p).startsWith(prefix)) return Promise.reject(codedError(code, `injected for ${p}`, String(p)));
    }
    return real.stat(p, ...rest);
  }) as typeof real.stat;
  return { ...real, stat, default: { ...real, stat } };
});

const dir = mkdtempSync(path.join(tmpdir(), 'ytm-mac-errors-'));
const ws = path.join(dir, 'workspaces');
const denied = path.join(dir, 'denied');
const failing = path.join(dir, 'eio');
const net = path.join(dir, 'old_share_mount');
const noMounts = () => Promise.resolve({ roots: [] as string[], problem: null });

function link(rel: string, target: string): void {
  const p = path.join(ws, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  symlinkSync(target, p);
}

beforeEach(() => {
  h.faults.clear();
  h.statCalls.length = 0;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('errors that are not "missing"', () => {
  it('the guard op says error:<code> for EPERM/EIO and missing only for ENOENT, ENOTDIR and ELOOP', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'plain'), 'x');
    symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
    symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
    h.faults.set(denied, 'EPERM');
    h.faults.set(failing, 'EIO');
    expect(
      await existsOp([
        path.join(dir, 'plain'),
        path.join(dir, 'nothing'),
        path.join(dir, 'plain', 'below'),
        path.join(dir, 'loop-a'),
        path.join(denied, 'x'),
        path.join(failing, 'x'),
      ]),
    ).toEqual(['exists', 'missing', 'missing', 'missing', 'error:EPERM', 'error:EIO']);
  });

  it('links whose target gives EPERM or EIO are CHECK_INCOMPLETE with the access hint, not BROKEN_SYMLINK', async () => {
    mkdirSync(path.join(dir, 'real'), { recursive: true });
    writeFileSync(path.join(dir, 'real', 'a.wav'), 'x');
    link('video/input/ok.wav', path.join(dir, 'real', 'a.wav'));
    link('video/input/gone.wav', path.join(dir, 'real', 'gone.wav'));
    link('video/input/denied.wav', path.join(denied, 'b.wav'));
    link('episodes/CH01/001/eio.wav', path.join(failing, 'c.wav'));
    h.faults.set(denied, 'EPERM');
    h.faults.set(failing, 'EIO');
    const scan = await scanLinks(ws, null, Promise.resolve('unconfigured'), {
      shareTimeoutMs: 10_000,
      networkMounts: noMounts(),
    });
    const broken = scan.findings.find((f) => f.code === 'BROKEN_SYMLINK');
    expect(broken?.count).toBe(1);
    expect(broken?.examples).toEqual([`video/input/gone.wav -> ${path.join(dir, 'real', 'gone.wav')}`]);
    expect(scan.links.get(path.join(ws, 'video/input/denied.wav'))).toMatchObject({
      verdict: 'unreadable',
      error: 'EPERM',
    });
    expect(scan.incomplete).toContain('2 link(s)');
    expect(scan.incomplete).toContain('EPERM x1');
    expect(scan.incomplete).toContain('EIO x1');
    expect(scan.incomplete).toContain('Privacy & Security');
  });
});

describe('targets on other network mounts', () => {
  it('are checked in a guarded child only, never stat-ed here, and still found broken or fine', async () => {
    mkdirSync(net, { recursive: true });
    writeFileSync(path.join(net, 'there.wav'), 'x');
    link('video/runs/CH01-009_v1/there.wav', path.join(net, 'there.wav'));
    link('video/runs/CH01-009_v1/not-there.wav', path.join(net, 'not-there.wav'));
    const scan = await scanLinks(ws, null, Promise.resolve('unconfigured'), {
      shareTimeoutMs: 10_000,
      networkMounts: Promise.resolve({ roots: [net], problem: null }),
    });
    expect(h.statCalls.filter((p) => p.startsWith(net))).toEqual([]);
    expect(scan.networkRoots).toEqual([net]);
    expect(scan.links.get(path.join(ws, 'video/runs/CH01-009_v1/there.wav'))).toMatchObject({
      verdict: 'ok',
      remoteRoot: net,
    });
    expect(scan.links.get(path.join(ws, 'video/runs/CH01-009_v1/not-there.wav'))?.verdict).toBe('broken');
  });

  it('an unreadable mount table is said, not silently treated as "no other mounts"', async () => {
    const scan = await scanLinks(ws, null, Promise.resolve('unconfigured'), {
      shareTimeoutMs: 10_000,
      networkMounts: Promise.resolve({ roots: [], problem: 'the mount table could not be read: timeout' }),
    });
    expect(scan.incomplete).toContain('the mount table could not be read');
  });
});

describe('Hot drafts', () => {
  it('EPERM on a draft is "could not check" with the hint; only a real ENOENT is HOT_DRAFT_MISSING; a draft on a network mount is not stat-ed', async () => {
    const capcut = path.join(dir, 'capcut');
    const runsRoot = path.join(ws, 'video', 'runs');
    const drafts: Record<string, string> = {
      'CH05-001': path.join(capcut, 'denied_draft'),
      'CH05-002': path.join(capcut, 'gone_draft'),
      'CH05-003': path.join(net, 'draft_on_old_mount'),
    };
    for (const [ep, draft] of Object.entries(drafts)) {
      const run = path.join(runsRoot, `${ep}_v1`);
      mkdirSync(run, { recursive: true });
      writeFileSync(path.join(run, 'capcut_draft_info.json'), JSON.stringify({ draft_path: draft }));
    }
    h.faults.set(path.join(capcut, 'denied_draft'), 'EPERM');
    const scan = await scanLinks(ws, null, Promise.resolve('unconfigured'), {
      shareTimeoutMs: 10_000,
      networkMounts: Promise.resolve({ roots: [net], problem: null }),
    });
    const episodes: Episode[] = Object.keys(drafts).map((id) => ({
      id,
      channel: 'CH05',
      video: id.slice(5),
      progress: '',
      posted: false,
      frozen: false,
      status: null,
    }));
    const paths = {
      repoRoot: dir,
      workspaceRoot: ws,
      sharedRoot: null,
      capcutDraftRoot: capcut,
      capcutFallbackRoot: path.join(dir, 'capcut_fallback'),
    } as Paths;
    h.statCalls.length = 0;
    const hot = await checkHot(episodes, paths, scan.links, scan.runsListing, scan.networkRoots);
    const byCode = Object.fromEntries(hot.findings.map((f) => [f.code, f.examples]));
    expect(byCode.HOT_DRAFT_MISSING).toEqual([`CH05-002: CH05-002_v1 draft not on this Mac: ${drafts['CH05-002']}`]);
    expect(byCode.HOT_POINTS_TO_SHARE?.[0]).toContain(`network volume ${net}`);
    expect(hot.incomplete).toContain('CH05-001');
    expect(hot.incomplete).toContain('EPERM x1');
    expect(hot.incomplete).toContain('Privacy & Security');
    expect(h.statCalls.filter((p) => p.startsWith(net))).toEqual([]);
  });
});

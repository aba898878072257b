// The store guards judge the file a path names, not the path as typed: another spelling on a case-insensitive
// volume (a real exFAT volume and a real SMB share here, like the Mac's disk and the NAS), a folder symlink inside the workspace, a file whose
// episode only its name tells, and a file whose episode nothing tells (refused for --move/--symlink-back
// unless break-glass, audited). Through the real `ytm` child.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoreAction } from '../../jobs/store/action.js';
import { readAudit } from '../../lib/audit/log.js';
import { mountExfat } from '../faults/exfat.js';
import { startSmbShare } from '../faults/smb-share.js';
import { filesUnder } from './support/files.js';
import { json, ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace, sha256Of, writeFile } from './support/workspace.js';

type Out = {
  planId: string;
  plan: { actions: StoreAction[]; refusals: { code: string; message: string }[]; warnings: string[] };
};

let w: MiniWorkspace;
const isFile = (rel: string) => existsSync(path.join(w.ws, rel)) && lstatSync(path.join(w.ws, rel)).isFile();

/** `ytm store … --run --yes --json`, expecting a refusal (exit 2) with nothing stored. */
async function refused(args: string[], env: Record<string, string> = w.env): Promise<Out['plan']['refusals']> {
  const r = await ytm(['store', ...args, '--run', '--yes', '--json'], env);
  expect(r.exitCode, r.stderr).toBe(2);
  expect(filesUnder(w.base)).toEqual([]);
  return json<Out>(r).plan.refusals;
}

/** A case-insensitive volume the workspace lives on: `dir` to put it in, `close` to tear it all down. */
type Volume = { dir: string; close(): Promise<void> };

const volumes: [string, () => Promise<Volume>][] = [
  ['exFAT', () => mountExfat(tmpdir())],
  [
    'SMB (smbd + smbnetfs)',
    async () => {
      const share = await startSmbShare();
      return { dir: share.root, close: () => share.stop() };
    },
  ],
];

// 90 s per case: SMB through FUSE is slow on a shared machine, and each case runs `ytm` up to twice.
describe.each(volumes)(
  'on a case-insensitive volume (%s), other spellings are the same folders',
  (_, mount) => {
    let vol: Volume;
    let repoParent: string;
    beforeAll(async () => {
      vol = await mount();
    });
    afterAll(async () => {
      await vol?.close();
    });
    beforeEach(() => {
      repoParent = mkdtempSync(path.join(vol.dir, 'repo-'));
      w = miniWorkspace({ repoParent });
    });
    afterEach(() => {
      rmSync(w.dir, { recursive: true, force: true });
      rmSync(repoParent, { recursive: true, force: true });
    });

    it('--move of Thumbnails/… and Video/Runs/… is refused as archive-only', async () => {
      for (const [written, typed] of [
        ['thumbnails/assets/CH02/044/00_thumb.png', 'Thumbnails/assets/CH02/044/00_thumb.png'],
        ['video/runs/CH02-044_v1/remotion/output/final.mp4', 'Video/Runs/CH02-044_v1/remotion/output/final.mp4'],
      ] as const) {
        writeFile(path.join(w.ws, written), 'image-or-video');
        const refusals = await refused([typed, '--move']);
        expect(refusals.map((r) => r.code)).toEqual(['ARCHIVE_ONLY']);
        expect(refusals[0]?.message).toContain('--symlink-back');
        expect(isFile(written)).toBe(true);
      }
    });

    it('Audio/final/CH03/008/x.wav is CH03-008 (kind audio_final), and unposted', async () => {
      writeFile(path.join(w.ws, 'audio/final/CH03/008/x.wav'), 'wav');
      const plan = json<Out>(await ytm(['store', 'Audio/final/CH03/008/x.wav', '--json'], w.env)).plan;
      expect(plan.actions[0]).toMatchObject({
        kind: 'audio_final',
        episode: 'CH03-008',
        destRel: 'audio_final/CH03/008/x.wav',
      });
      const refusals = await refused(['Audio/final/CH03/008/x.wav', '--move']);
      expect(refusals.map((r) => r.code)).toEqual(['UNPOSTED']);
      expect(refusals[0]?.message).toContain('CH03-008');
      expect(isFile('audio/final/CH03/008/x.wav')).toBe(true);
    });

    it('a coordination lock on audio/final/CH02/044 blocks Audio/Final/CH02/044/…', async () => {
      writeFileSync(
        path.join(w.ws, 'logs/agent_tasks/coordination/locks/lock__20260126T105000Z__c4s3c4s3.json'),
        JSON.stringify({
          schema_version: 1,
          kind: 'lock',
          id: 'lock__20260126T105000Z__c4s3c4s3',
          created_by: 'audio-redo',
          mode: 'no_write',
          scopes: ['workspaces/audio/final/CH02/044/*'],
        }),
      );
      const refusals = await refused(['Audio/Final/CH02/044/CH02-044.wav']);
      expect(refusals.map((r) => r.code)).toEqual(['LOCKED']);
      expect(refusals[0]?.message).toContain('lock__20260126T105000Z__c4s3c4s3');
    });
  },
  90_000,
);

describe('on a case-sensitive volume', () => {
  beforeEach(() => {
    w = miniWorkspace();
  });
  afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

  it('a folder symlink episodes/x → video/runs/… does not dodge the archive-only rule', async () => {
    const run = 'video/runs/CH02-044_v1';
    writeFile(path.join(w.ws, run, 'remotion/output/final.mp4'), 'video');
    mkdirSync(path.join(w.ws, 'episodes'));
    symlinkSync('../video/runs/CH02-044_v1', path.join(w.ws, 'episodes/x'));
    symlinkSync(path.join(w.ws, run), path.join(w.ws, 'episodes/abs'));
    for (const via of ['episodes/x', 'episodes/abs']) {
      const refusals = await refused([`${via}/remotion/output/final.mp4`, '--move']);
      expect(refusals.map((r) => r.code)).toEqual(['ARCHIVE_ONLY']);
      expect(refusals[0]?.message).toContain(`${run}/remotion/output/final.mp4`);
    }
    expect(isFile(`${run}/remotion/output/final.mp4`)).toBe(true);
  });

  it('a file in a folder the inference does not know is checked by its name (CH02-043 unposted)', async () => {
    writeFile(path.join(w.ws, 'video/input/CH02_x/CH02-043.wav'), 'wav');
    const refusals = await refused(['video/input/CH02_x/CH02-043.wav', '--move']);
    expect(refusals.map((r) => r.code)).toEqual(['UNPOSTED']);
    expect(refusals[0]?.message).toContain('CH02-043');
    expect(isFile('video/input/CH02_x/CH02-043.wav')).toBe(true);
  });

  it('… and moved when the episode its name tells is posted (CH02-044)', async () => {
    const src = writeFile(path.join(w.ws, 'video/input/CH02_x/CH02-044.wav'), 'posted wav');
    const hash = sha256Of(src);
    const r = await ytm(['store', 'video/input/CH02_x/CH02-044.wav', '--move', '--run', '--yes'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(src)).toBe(false);
    expect(sha256Of(path.join(w.base, 'misc/CH02/044/CH02-044.wav'))).toBe(hash);
  });

  it('a date after the channel is not an episode: CH02_20251211_… is not CH02-202', async () => {
    const rel = 'video/input/CH02_20251211_x/CH02_20251211_take.wav';
    writeFile(path.join(w.ws, rel), 'wav');
    const refusals = await refused([rel, '--move']);
    expect(refusals.map((r) => r.code)).toEqual(['EPISODE_UNKNOWN']);
    expect(isFile(rel)).toBe(true);
  });
});

describe('no determinable episode: --move/--symlink-back refused unless break-glass (audited)', () => {
  const rel = 'misc/notes.wav';
  beforeEach(() => {
    w = miniWorkspace();
    writeFile(path.join(w.ws, rel), 'no episode here');
  });
  afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

  for (const flag of ['--move', '--symlink-back']) {
    it(`${flag} is refused, naming the file and the way out`, async () => {
      const refusals = await refused([rel, flag]);
      expect(refusals.map((r) => r.code)).toEqual(['EPISODE_UNKNOWN']);
      expect(refusals[0]?.message).toContain(rel);
      expect(refusals[0]?.message).toContain('--episode');
      expect(refusals[0]?.message).toContain('--allow-unposted');
      expect(isFile(rel)).toBe(true);
    });
  }

  it('a plain copy is still allowed', async () => {
    const r = await ytm(['store', rel, '--run', '--yes'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(isFile(rel)).toBe(true);
    expect(existsSync(path.join(w.base, 'misc/notes.wav'))).toBe(true);
  });

  it('--allow-unposted moves it and the audit log records the override', async () => {
    const hash = sha256Of(path.join(w.ws, rel));
    const r = await ytm(['store', rel, '--move', '--allow-unposted', '--run', '--yes', '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = json<Out>(r);
    expect(out.plan.warnings.join(' ')).toContain('BREAK-GLASS');
    expect(existsSync(path.join(w.ws, rel))).toBe(false);
    expect(sha256Of(path.join(w.base, 'misc/notes.wav'))).toBe(hash);
    const overrides = (await readAudit(w.state)).filter((e) => e.kind === 'job.override');
    expect(overrides).toHaveLength(1);
    expect(overrides[0]).toMatchObject({
      planId: out.planId,
      data: { episode: null, path: rel, via: '--allow-unposted', mode: 'move' },
    });
  });

  it('YTM_EMERGENCY_OVERRIDE=1 links it back and is audited', async () => {
    const r = await ytm(['store', rel, '--symlink-back', '--run', '--yes'], { ...w.env, YTM_EMERGENCY_OVERRIDE: '1' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(lstatSync(path.join(w.ws, rel)).isSymbolicLink()).toBe(true);
    const overrides = (await readAudit(w.state)).filter((e) => e.kind === 'job.override');
    expect(overrides[0]?.data).toMatchObject({ episode: null, via: 'YTM_EMERGENCY_OVERRIDE=1', mode: 'symlink-back' });
  });
});

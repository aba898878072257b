import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempPathFor } from '../../../lib/fs/atomic.js';
import { backupLinkKind, classifyLinkTarget, inspectLink } from '../../../lib/fs/links.js';

describe('backupLinkKind', () => {
  it.each([
    ['CH02-043.symlink_shared_backup_20260126T105554Z', 'shared_backup'],
    ['CH02-043.symlink_shared_backup_20260126T105554Z__3', 'shared_backup'],
    ['CH02-043.symlink_shared_backup_20260126T105554Z__pid4242', 'shared_backup'],
    ['capcut_draft.symlink_backup__20260126T105554Z', 'relink_backup'],
    ['scripts.__bak_20260125T041248Z', 'vault_doctor_backup'],
    ['.tmp__status.json__12345', 'atomic_tmp'],
    ['assets.symlink_lenovo_backup_20260124_214045', 'manual_backup'],
    ['assets.symlink_shared_backup_20260124T214045Z', 'shared_backup'],
  ])('%s -> %s', (name, kind) => {
    expect(backupLinkKind(name)).toBe(kind);
  });

  it('recognises the temp names our own atomic writes use', () => {
    expect(backupLinkKind(basename(tempPathFor('/x/state.json')))).toBe('atomic_tmp');
  });

  it.each([
    'CH02-043',
    'capcut_draft',
    'assets',
    'scripts',
    '.tmp__foo',
    '.tmp__foo__abc',
    'scripts.__bak_',
    'CH02-043.symlink_shared_backup_',
    'capcut_draft.symlink_backup_20260126T105554Z',
    'myassets.symlink_x',
    'video.mp4',
  ])('%s is not a backup', (name) => {
    expect(backupLinkKind(name)).toBeNull();
  });
});

describe('classifyLinkTarget', () => {
  it('resolves relative targets against the link directory', () => {
    expect(classifyLinkTarget('/w/video/input/CH02', '../../share/x', { shareRoot: '/share' })).toEqual({
      absoluteTarget: '/w/share/x',
      isAbsolute: false,
      intoShare: false,
    });
  });

  it('flags absolute targets and targets under the share root (separator-safe)', () => {
    expect(classifyLinkTarget('/w/l', '/share/uploads/ns/f', { shareRoot: '/share' })).toEqual({
      absoluteTarget: '/share/uploads/ns/f',
      isAbsolute: true,
      intoShare: true,
    });
    expect(classifyLinkTarget('/w/l', '/share', { shareRoot: '/share/' }).intoShare).toBe(true);
    expect(classifyLinkTarget('/w/l', '/share2/f', { shareRoot: '/share' }).intoShare).toBe(false);
    expect(classifyLinkTarget('/share/a/l', '../b', { shareRoot: '/share' }).intoShare).toBe(true);
    expect(classifyLinkTarget('/w/l', '/share/f', { shareRoot: null }).intoShare).toBe(false);
    expect(classifyLinkTarget('/w/l', '/share/f', {}).intoShare).toBe(false);
  });
});

describe('inspectLink', () => {
  let base: string;
  let ws: string;
  let share: string;
  beforeEach(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'ytm-links-')));
    ws = join(base, 'ws');
    share = join(base, 'share');
    await mkdir(join(ws, 'video', 'input'), { recursive: true });
    await mkdir(join(ws, 'video', 'runs'), { recursive: true });
    await mkdir(join(share, 'archive', 'CH02'), { recursive: true });
    await writeFile(join(ws, 'local.txt'), 'l');
    await writeFile(join(share, 'archive', 'CH02', 'a.mp4'), 'v');
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('reports ok for relative and absolute links to existing targets', async () => {
    const rel = join(ws, 'video', 'rel');
    await symlink('../local.txt', rel);
    expect(await inspectLink(rel, { shareRoot: share })).toEqual({
      target: '../local.txt',
      absoluteTarget: join(ws, 'local.txt'),
      isAbsolute: false,
      intoShare: false,
      backup: null,
      state: 'ok',
    });
    const abs = join(ws, 'video', 'abs');
    await symlink(join(ws, 'local.txt'), abs);
    expect(await inspectLink(abs, {})).toMatchObject({ isAbsolute: true, state: 'ok' });
  });

  it('reports broken for missing targets, with and without a share root', async () => {
    const l = join(ws, 'video', 'broken');
    await symlink('../gone.txt', l);
    expect((await inspectLink(l, {})).state).toBe('broken');
    expect((await inspectLink(l, { shareRoot: share })).state).toBe('broken');
    const loop = join(ws, 'loop');
    await symlink('loop', loop);
    expect((await inspectLink(loop, { shareRoot: share })).state).toBe('broken');
    expect((await inspectLink(loop, {})).state).toBe('broken');
  });

  it('leaves a link into the share unchecked unless statShare is set', async () => {
    const ok = join(ws, 'video', 'input', 'CH02-001');
    await symlink(join(share, 'archive', 'CH02', 'a.mp4'), ok);
    const gone = join(ws, 'video', 'input', 'CH02-002');
    await symlink(join(share, 'archive', 'CH02', 'missing.mp4'), gone);
    // unchecked even though the target is missing: the answer does not come from a stat
    expect(await inspectLink(gone, { shareRoot: share })).toMatchObject({ intoShare: true, state: 'unchecked' });
    expect(await inspectLink(ok, { shareRoot: share })).toMatchObject({ intoShare: true, state: 'unchecked' });
    expect((await inspectLink(ok, { shareRoot: share }, { statShare: true })).state).toBe('ok');
    expect((await inspectLink(gone, { shareRoot: share }, { statShare: true })).state).toBe('broken');
  });

  it('leaves a chain that reaches the share through another link unchecked', async () => {
    // video/input/CH02 -> share dir; runs/x -> ../input/CH02/missing.mp4 (direct target looks local)
    await symlink(join(share, 'archive', 'CH02'), join(ws, 'video', 'input', 'CH02'));
    const viaDir = join(ws, 'video', 'runs', 'x');
    await symlink('../input/CH02/missing.mp4', viaDir);
    expect(await inspectLink(viaDir, { shareRoot: share })).toMatchObject({ intoShare: false, state: 'unchecked' });
    expect((await inspectLink(viaDir, { shareRoot: share }, { statShare: true })).state).toBe('broken');
    const hop = join(ws, 'hop');
    await symlink(join(share, 'archive', 'CH02', 'a.mp4'), hop);
    const viaLink = join(ws, 'video', 'runs', 'y');
    await symlink('../../hop', viaLink);
    expect((await inspectLink(viaLink, { shareRoot: share })).state).toBe('unchecked');
    expect((await inspectLink(viaLink, { shareRoot: share }, { statShare: true })).state).toBe('ok');
  });

  it('reports the backup kind of the link name', async () => {
    const l = join(ws, 'video', 'input', 'CH02-003.symlink_shared_backup_20260126T105554Z__2');
    await symlink(join(share, 'gone'), l);
    expect(await inspectLink(l, { shareRoot: share })).toMatchObject({ backup: 'shared_backup', state: 'unchecked' });
    expect(await inspectLink(l, {})).toMatchObject({ backup: 'shared_backup', state: 'broken' });
  });

  it('fails with the fs error code when the path is not a symlink', async () => {
    await expect(inspectLink(join(ws, 'local.txt'), {})).rejects.toMatchObject({ code: 'EINVAL' });
    await expect(inspectLink(join(ws, 'nope'), {})).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

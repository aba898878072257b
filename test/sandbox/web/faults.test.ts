// The sandbox fault panel's back end on a real generated workspace: each share fault as the real guarded probe
// and the doctor see it, transitions between them, the share's files untouched, a dead sandbox repaired by the
// next open(), the disk thresholds as the bot's job children read them, the draft link broken and repaired
// (never over a relink), and close() leaving no mount and no stall-fs process.
import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../jobs/doctor/report.js';
import { jobEnv, startJob } from '../../../lib/job-runner.js';
import { checkShare } from '../../../lib/share/check.js';
import { findMount, parseProcMounts } from '../../../lib/share/mounts.js';
import type { ShareState } from '../../../lib/share/state.js';
import { poll } from '../../e2e/approvals-support.js';
import { type BotProcess, baseEnv, MONITOR_SCHEDULE, OPS_CHANNEL, spawnBot } from '../../e2e/harness.js';
import { leftovers } from '../../faults/leftovers.js';
import { closeAllStallingMounts } from '../../faults/stall-mount.js';
import { type GeneratedWorkspace, generateWorkspace } from '../../fixtures/workspace.js';
import { runCli } from '../../helpers/cli.js';
import { filesUnder } from '../../jobs/support/files.js';
import { json, YTM_ENTRY } from '../../jobs/support/run.js';
import { sha256Of } from '../../jobs/support/workspace.js';
import { SlackEmulator } from '../../slack/emulator.js';
import { draftJournalPath } from './draft-fault.js';
import { SandboxFaults } from './faults.js';
import { awayPath, hungUnavailableReason, stagingPath } from './share-fault.js';

// Inherited by every stall-fs daemon this file starts, so leftovers() can find one that outlived close().
const MARKER_NAME = 'YTM_TEST_SANDBOX_FAULTS';
const MARKER_VALUE = randomUUID();
process.env[MARKER_NAME] = MARKER_VALUE;

const GIB = 1024 ** 3;
const made: string[] = [];
const opened: SandboxFaults[] = [];

interface Sandbox {
  dir: string;
  ws: GeneratedWorkspace;
  envFile: string;
  faults: SandboxFaults;
}

async function workspace(): Promise<{ dir: string; ws: GeneratedWorkspace; envFile: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ytm-sandbox-faults-'));
  made.push(dir);
  const ws = await generateWorkspace({ dir: path.join(dir, 'w'), faults: true, channels: 2, episodesPerChannel: 6 });
  return { dir, ws, envFile: path.join(dir, 'sandbox', 'sandbox.env') };
}

async function open(w: { ws: GeneratedWorkspace; envFile: string }): Promise<SandboxFaults> {
  const faults = await SandboxFaults.open({ env: w.ws.env, envFile: w.envFile });
  opened.push(faults);
  return faults;
}

async function sandbox(): Promise<Sandbox> {
  const w = await workspace();
  return { ...w, faults: await open(w) };
}

afterAll(async () => {
  for (const f of opened) await f.close().catch(() => {});
  await closeAllStallingMounts();
  for (const d of made) await rm(d, { recursive: true, force: true });
});

/** The real share check: a guarded child probing the share (lib/share/check.ts), as the monitor runs it. */
async function probe(s: Sandbox, timeoutMs = 5000): Promise<ShareState> {
  const r = await checkShare({
    root: s.ws.paths.share,
    namespace: s.ws.env.YTM_SHARED_STORAGE_NAMESPACE as string,
    mountRequired: false,
    stateDir: s.ws.paths.state,
    timeoutMs,
  });
  return r.state;
}

/** Probes until the share reads `want` (a probe stuck on a hung mount ends only after the mount is gone). */
async function probeUntil(s: Sandbox, want: ShareState): Promise<ShareState> {
  let last: ShareState = 'unconfigured';
  for (let i = 0; i < 60 && last !== want; i++) {
    last = await probe(s, 2000);
    if (last !== want) await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

/** `ytm doctor --json --events` started exactly as the bot starts it (lib/job-runner startJob + jobEnv). */
async function doctorAsBotChild(env: Record<string, string>): Promise<DoctorReport> {
  const job = startJob({
    command: process.execPath,
    args: [YTM_ENTRY, 'doctor', '--json', '--events'],
    env: jobEnv({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env }),
    timeoutMs: 180_000,
  });
  const out = await job.done;
  if (!out.result) throw new Error(`no doctor report (${out.status}): ${out.stderrTail}`);
  return out.result as DoctorReport;
}

/** Every file and link under `dir` (links not followed: the share's links point into the share by absolute path). */
function shareTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of filesUnder(dir)) {
    const p = path.join(dir, rel);
    out.set(rel, lstatSync(p).isSymbolicLink() ? `l:${readlinkSync(p)}` : `f:${sha256Of(p)}`);
  }
  return out;
}

const codes = (r: DoctorReport) => r.findings.map((f) => f.code);
const mounted = async (dir: string) =>
  findMount(parseProcMounts(await readFile('/proc/mounts', 'utf8')), path.resolve(dir)) !== undefined;
const ourLeftovers = async () =>
  (await leftovers(`${MARKER_NAME}=${MARKER_VALUE}`)).filter((p) => p.pid !== process.pid);
const envValues = (file: string) =>
  Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('=') as [string, string]),
  );

describe('open and the bot env', () => {
  it('writes the env file with thresholds 0 and gives a bot env without the thresholds', async () => {
    const s = await sandbox();
    const env = s.faults.botEnv();
    expect(env.YTM_DISK_WARN_GIB).toBeUndefined();
    expect(env.YTM_DISK_STOP_GIB).toBeUndefined();
    expect(env.YTM_ENV_FILE).toBe(path.resolve(s.envFile));
    expect(env.YTM_SHARED_STORAGE_ROOT).toBe(s.ws.paths.share);
    expect(envValues(s.envFile)).toMatchObject({ YTM_DISK_WARN_GIB: '0', YTM_DISK_STOP_GIB: '0' });
    const st = s.faults.state();
    expect(st).toMatchObject({ share: 'up', disk: 'normal', draft: 'ok', describe: [] });
    expect(st.draftEpisode).toMatch(/^CH\d\d-\d{3}$/);
    expect(st.hungUnavailable).toBe(await hungUnavailableReason());
  }, 120_000);
});

describe('share faults', () => {
  it('stub, unmounted and back: the files on disk and the guarded probe; no file of the share changes', async () => {
    const s = await sandbox();
    const root = s.ws.paths.share;
    const before = shareTree(root);
    expect(await probe(s)).toBe('up');

    let st = await s.faults.setShare('stub');
    expect(st.share).toBe('stub');
    expect(readFileSync(path.join(root, 'README_MOUNTPOINT.txt'), 'utf8')).toContain('sandbox');
    expect(st.describe.join('\n')).toMatch(/^Share: README_MOUNTPOINT.txt written/);
    expect(await probe(s)).toBe('stub');

    st = await s.faults.setShare('unmounted');
    expect(st.share).toBe('unmounted');
    expect(existsSync(root)).toBe(false);
    expect(existsSync(path.join(awayPath(root), 'README_MOUNTPOINT.txt'))).toBe(false);
    expect(await probe(s)).toBe('unmounted');
    expect(shareTree(awayPath(root))).toEqual(before);

    st = await s.faults.setShare('stub');
    expect(existsSync(awayPath(root))).toBe(false);
    expect(await probe(s)).toBe('stub');

    st = await s.faults.setShare('up');
    expect(st).toMatchObject({ share: 'up', describe: [] });
    expect(await probe(s)).toBe('up');
    expect(shareTree(root)).toEqual(before);
  }, 120_000);

  it('the doctor, run as the bot runs it, reports the share unmounted and then a stub', async () => {
    const s = await sandbox();
    await s.faults.setShare('unmounted');
    expect((await doctorAsBotChild(s.faults.botEnv())).share.state).toBe('unmounted');
    await s.faults.setShare('stub');
    const report = await doctorAsBotChild(s.faults.botEnv());
    expect(report.share.state).toBe('stub');
    expect(codes(report)).toContain('SHARE_STUB');
    await s.faults.setShare('up');
    expect((await doctorAsBotChild(s.faults.botEnv())).share.state).toBe('up');
  }, 300_000);

  it('refuses to rename the share onto a sibling that holds files, and changes nothing', async () => {
    const s = await sandbox();
    const root = s.ws.paths.share;
    const away = awayPath(root);
    await mkdir(away);
    await writeFile(path.join(away, 'keep.txt'), 'someone else’s\n');
    const before = shareTree(root);
    await expect(s.faults.setShare('unmounted')).rejects.toThrow(/already exists and is not an empty folder/);
    expect(s.faults.state().share).toBe('up');
    expect(shareTree(root)).toEqual(before);
    expect(readFileSync(path.join(away, 'keep.txt'), 'utf8')).toBe('someone else’s\n');
    // An empty leftover sibling is no obstacle.
    await rm(away, { recursive: true });
    await mkdir(away);
    expect((await s.faults.setShare('unmounted')).share).toBe('unmounted');
    await s.faults.close();
    expect(shareTree(root)).toEqual(before);
  }, 120_000);

  it('a share the sandbox did not stub is left a stub: "up" says why', async () => {
    const s = await workspace();
    const marker = path.join(s.ws.paths.share, 'README_MOUNTPOINT.txt');
    await writeFile(marker, 'a real stub\n');
    const faults = await open(s);
    expect(faults.state().share).toBe('stub');
    await expect(faults.setShare('up')).rejects.toThrow(/was not written by the sandbox/);
    expect(readFileSync(marker, 'utf8')).toBe('a real stub\n');
  }, 120_000);

  it("'hung' is refused with the reason when FUSE is unavailable, and offered when it is", async () => {
    const s = await sandbox();
    const reason = await hungUnavailableReason();
    if (reason === null) {
      expect(s.faults.state().hungUnavailable).toBeNull();
    } else {
      expect(s.faults.state().hungUnavailable).toBe(reason);
      await expect(s.faults.setShare('hung')).rejects.toThrow(reason);
      expect(s.faults.state().share).toBe('up');
    }
  }, 120_000);
});

const noFuse = await hungUnavailableReason();

describe.skipIf(noFuse !== null)(`the hung share (${noFuse ?? 'root + FUSE'})`, () => {
  it('hung over the real root, through every other state and back; close() leaves no mount and no daemon', async () => {
    const s = await sandbox();
    const root = s.ws.paths.share;
    const before = shareTree(root);

    let st = await s.faults.setShare('hung');
    expect(st.share).toBe('hung');
    expect(st.describe.join('\n')).toMatch(/stalled FUSE mount/);
    expect(await mounted(root)).toBe(true);
    expect(await probe(s, 1000)).toBe('hung');
    expect((await ourLeftovers()).length).toBeGreaterThan(0);

    st = await s.faults.setShare('unmounted');
    expect(await mounted(root)).toBe(false);
    expect(existsSync(root)).toBe(false);
    expect(await probeUntil(s, 'unmounted')).toBe('unmounted');

    await s.faults.setShare('hung');
    expect(existsSync(awayPath(root))).toBe(false);
    expect(await mounted(root)).toBe(true);

    await s.faults.setShare('stub');
    expect(await mounted(root)).toBe(false);
    expect(await probeUntil(s, 'stub')).toBe('stub');

    await s.faults.setShare('hung');
    // The real marker is shadowed by the mount; 'up' removes it once the real directory is back.
    st = await s.faults.setShare('up');
    expect(st.share).toBe('up');
    expect(await mounted(root)).toBe(false);
    expect(await probeUntil(s, 'up')).toBe('up');
    expect(shareTree(root)).toEqual(before);

    await s.faults.setShare('hung');
    await s.faults.close();
    await s.faults.close();
    expect(await mounted(root)).toBe(false);
    expect(await mounted(stagingPath(root))).toBe(false);
    expect(existsSync(stagingPath(root))).toBe(false);
    expect(await ourLeftovers()).toEqual([]);
    expect(await probeUntil(s, 'up')).toBe('up');
    expect(shareTree(root)).toEqual(before);
  }, 300_000);

  it('a stall mount left by a sandbox that died is unmounted by the next open()', async () => {
    const s = await sandbox();
    await s.faults.setShare('hung');
    // The sandbox dies: its panel is never closed and its stall daemon is killed without unmounting anything, so
    // the root and the staging folder are left as dead FUSE mounts. A new panel opens on the same workspace.
    for (const p of await ourLeftovers()) {
      if (readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes('stall-fs.py')) process.kill(p.pid, 'SIGKILL');
    }
    await poll('the daemon to be gone', async () => (await ourLeftovers()).length === 0, 30_000);
    expect(await mounted(s.ws.paths.share)).toBe(true);
    const next = await open(s);
    expect(await mounted(s.ws.paths.share)).toBe(false);
    expect(await mounted(stagingPath(s.ws.paths.share))).toBe(false);
    expect(existsSync(stagingPath(s.ws.paths.share))).toBe(false);
    expect(next.state().share).toBe('up');
    expect(next.recovered.join('\n')).toMatch(/unmounted a stall mount/);
    await s.faults.close();
    expect(await ourLeftovers()).toEqual([]);
  }, 120_000);
});

describe('crash recovery in open()', () => {
  it('a share renamed away, a stub marker and a broken draft link are all put back', async () => {
    const s = await sandbox();
    const root = s.ws.paths.share;
    const before = shareTree(root);
    const episode = s.faults.state().draftEpisode;
    await s.faults.setDraft('broken');
    const journal = draftJournalPath(s.envFile);
    const rec = JSON.parse(readFileSync(journal, 'utf8')) as { link: string; previous: string; broken: string };
    expect(readlinkSync(rec.link)).toBe(rec.broken);
    await s.faults.setShare('unmounted');
    await s.faults.setDisk('warn');

    // The sandbox "dies" here: a new panel opens on the same workspace without the old one closing.
    const next = await open(s);
    expect(existsSync(awayPath(root))).toBe(false);
    expect(shareTree(root)).toEqual(before);
    expect(readlinkSync(rec.link)).toBe(rec.previous);
    expect(existsSync(journal)).toBe(false);
    expect(envValues(s.envFile)).toMatchObject({ YTM_DISK_WARN_GIB: '0', YTM_DISK_STOP_GIB: '0' });
    expect(next.recovered.join('\n')).toContain(`renamed ${awayPath(root)} back`);
    expect(next.recovered.join('\n')).toContain(`restored ${episode}'s draft link`);
    expect(next.state()).toMatchObject({ share: 'up', disk: 'normal', draft: 'ok', describe: [] });

    await next.setShare('stub');
    const third = await open(s);
    expect(existsSync(path.join(root, 'README_MOUNTPOINT.txt'))).toBe(false);
    expect(third.recovered.join('\n')).toMatch(/removed the sandbox's stub marker/);
  }, 120_000);

  it('a root that was re-created empty while away is replaced; two non-empty ones are refused', async () => {
    const s = await sandbox();
    const root = s.ws.paths.share;
    const before = shareTree(root);
    await s.faults.setShare('unmounted');
    await mkdir(root);
    await open(s);
    expect(shareTree(root)).toEqual(before);

    await rename(root, awayPath(root));
    await mkdir(root);
    await writeFile(path.join(root, 'new.txt'), 'written while away\n');
    await expect(open(s)).rejects.toThrow(/hold files: merge them by hand/);
    expect(shareTree(awayPath(root))).toEqual(before);
    expect(readFileSync(path.join(root, 'new.txt'), 'utf8')).toBe('written while away\n');
  }, 120_000);
});

describe('disk thresholds', () => {
  it('warn and stop lines above the real free space, read by each job child the bot starts', async () => {
    const s = await sandbox();
    const env = s.faults.botEnv();
    expect(codes(await doctorAsBotChild(env))).not.toContain('DISK_WARN');

    let st = await s.faults.setDisk('warn');
    expect(st.disk).toBe('warn');
    const warn = envValues(s.envFile);
    let report = await doctorAsBotChild(env);
    const free = (report.disk.freeBytes as number) / GIB;
    expect(Number(warn.YTM_DISK_WARN_GIB)).toBeGreaterThan(free);
    expect(Number(warn.YTM_DISK_WARN_GIB)).toBeLessThanOrEqual(Math.ceil(free) + 2);
    expect(warn.YTM_DISK_STOP_GIB).toBe('0');
    expect(codes(report)).toContain('DISK_WARN');
    expect(codes(report)).not.toContain('DISK_STOP');
    expect(st.describe.join('\n')).toMatch(/^Disk: warning line raised/);

    st = await s.faults.setDisk('stop');
    const stop = envValues(s.envFile);
    expect(Number(stop.YTM_DISK_STOP_GIB)).toBeGreaterThan(free);
    expect(Number(stop.YTM_DISK_STOP_GIB)).toBeLessThanOrEqual(Number(stop.YTM_DISK_WARN_GIB));
    report = await doctorAsBotChild(env);
    expect(codes(report)).toContain('DISK_STOP');
    expect(report.disk.stopBytes).toBe(Number(stop.YTM_DISK_STOP_GIB) * GIB);

    st = await s.faults.setDisk('normal');
    expect(envValues(s.envFile)).toMatchObject({ YTM_DISK_WARN_GIB: '0', YTM_DISK_STOP_GIB: '0' });
    report = await doctorAsBotChild(env);
    expect(codes(report).filter((c) => c.startsWith('DISK_'))).toEqual([]);
    expect(st.describe).toEqual([]);
  }, 300_000);

  it('the thresholds in the environment win over the file: that is why botEnv() drops them', async () => {
    const s = await sandbox();
    await s.faults.setDisk('stop');
    const report = await doctorAsBotChild({ ...s.faults.botEnv(), YTM_DISK_WARN_GIB: '0', YTM_DISK_STOP_GIB: '0' });
    expect(codes(report).filter((c) => c.startsWith('DISK_'))).toEqual([]);
  }, 180_000);
});

describe('the draft link', () => {
  it("broken: the doctor names the episode and relink; 'ok' puts the old target back", async () => {
    const s = await sandbox();
    const env = s.faults.botEnv();
    const brokenOf = (r: DoctorReport) => r.findings.find((f) => f.code === 'HOT_RUN_SYMLINK_BROKEN');
    const baseline = brokenOf(await doctorAsBotChild(env));
    const episode = s.faults.state().draftEpisode;
    expect(baseline?.examples.some((e) => e.startsWith(`${episode}:`)) ?? false).toBe(false);

    const st = await s.faults.setDraft('broken');
    expect(st).toMatchObject({ draft: 'broken', draftEpisode: episode });
    expect(st.describe.join('\n')).toContain(`ytm relink ${episode}`);
    const journal = draftJournalPath(s.envFile);
    const rec = JSON.parse(readFileSync(journal, 'utf8')) as { link: string; previous: string; broken: string };
    expect(readlinkSync(rec.link)).toBe(rec.broken);
    expect(existsSync(rec.broken)).toBe(false);
    const broken = brokenOf(await doctorAsBotChild(env));
    expect(broken?.count).toBe((baseline?.count ?? 0) + 1);
    expect(broken?.examples.some((e) => e.startsWith(`${episode}:`))).toBe(true);
    expect(broken?.advice).toMatch(/ytm relink/);

    const ok = await s.faults.setDraft('ok');
    expect(ok).toMatchObject({ draft: 'ok', describe: [] });
    expect(readlinkSync(rec.link)).toBe(rec.previous);
    expect(existsSync(journal)).toBe(false);
    expect(brokenOf(await doctorAsBotChild(env))?.count).toBe(baseline?.count);
  }, 300_000);

  it('the real `ytm relink` lists the draft and fixes the link; the panel then reads "ok" and leaves it', async () => {
    const s = await sandbox();
    const st = await s.faults.setDraft('broken');
    const rec = JSON.parse(readFileSync(draftJournalPath(s.envFile), 'utf8')) as { link: string; previous: string };
    const draft = path.resolve(path.dirname(rec.link), rec.previous);
    const env = s.faults.botEnv();
    const listing = json<{ candidates: { path: string }[] }>(await runCli(['relink', st.draftEpisode, '--json'], env));
    expect(listing.candidates.map((c) => c.path)).toContain(draft);
    const relinked = await runCli(['relink', st.draftEpisode, '--draft', draft, '--run', '--yes', '--json'], env);
    expect(relinked.exitCode).toBe(0);
    expect(path.resolve(path.dirname(rec.link), readlinkSync(rec.link))).toBe(draft);
    expect(s.faults.state()).toMatchObject({ draft: 'ok', describe: [] });
    const before = lstatSync(rec.link, { bigint: true }).ino;
    await s.faults.setDraft('ok');
    expect(lstatSync(rec.link, { bigint: true }).ino).toBe(before);
  }, 180_000);

  it("a link relinked meanwhile is not clobbered by 'ok' (or by close)", async () => {
    const s = await sandbox();
    await s.faults.setDraft('broken');
    const journal = draftJournalPath(s.envFile);
    const rec = JSON.parse(readFileSync(journal, 'utf8')) as { link: string; previous: string; broken: string };
    // What a relink does: a new link renamed over the broken one, here to the draft's folder by another spelling.
    const relinked = `${path.resolve(path.dirname(rec.link), rec.previous)}/.`;
    await symlink(relinked, `${rec.link}.new`);
    await rename(`${rec.link}.new`, rec.link);
    expect(s.faults.state().draft).toBe('ok');
    await s.faults.setDraft('ok');
    expect(readlinkSync(rec.link)).toBe(relinked);
    expect(existsSync(journal)).toBe(false);

    await s.faults.setDraft('broken');
    const again = JSON.parse(readFileSync(journal, 'utf8')) as { link: string; broken: string };
    await rm(again.link);
    await symlink(relinked, again.link);
    await s.faults.close();
    expect(readlinkSync(again.link)).toBe(relinked);
    expect(lstatSync(again.link).isSymbolicLink()).toBe(true);
  }, 180_000);
});

describe('close()', () => {
  it('puts everything back, twice in a row, and after a failed change', async () => {
    const s = await sandbox();
    const root = s.ws.paths.share;
    const before = shareTree(root);
    await mkdir(awayPath(root));
    await writeFile(path.join(awayPath(root), 'x'), 'x');
    await expect(s.faults.setShare('unmounted')).rejects.toThrow();
    await rm(awayPath(root), { recursive: true });
    await s.faults.setShare('stub');
    await s.faults.setDisk('stop');
    await s.faults.setDraft('broken');
    await s.faults.close();
    await s.faults.close();
    expect(existsSync(path.join(root, 'README_MOUNTPOINT.txt'))).toBe(false);
    expect(shareTree(root)).toEqual(before);
    expect(envValues(s.envFile)).toMatchObject({ YTM_DISK_WARN_GIB: '0', YTM_DISK_STOP_GIB: '0' });
    expect(s.faults.state()).toMatchObject({ share: 'up', disk: 'normal', draft: 'ok', describe: [] });
    expect(await mounted(root)).toBe(false);
    expect(await ourLeftovers()).toEqual([]);
  }, 120_000);
});

describe('the real bot', () => {
  it('a disk alert fires on "warn" and resolves on "normal", without a restart', async () => {
    const w = await workspace();
    const emu = await SlackEmulator.start();
    let bot: BotProcess | undefined;
    try {
      const env = {
        ...baseEnv(emu, w.ws, path.join(w.dir, 'bot-state')),
        YTM_SLACK_ALERT_CHANNEL: OPS_CHANNEL,
        YTM_MONITOR_INTERVAL_SEC: '1',
        YTM_SCHEDULE_MANIFEST: MONITOR_SCHEDULE,
        YTM_MONITOR_DOCTOR_EVERY_MIN: '0',
      };
      const faults = await SandboxFaults.open({ env, envFile: w.envFile });
      opened.push(faults);
      bot = spawnBot(faults.botEnv(), w.dir);
      await bot.waitForLog((l) => l.msg === 'bot connected (Socket Mode)', 30_000);
      const disk = () =>
        emu.messages(OPS_CHANNEL).filter((m) => !m.thread_ts && /^(Resolved: )?Disk:/.test(m.text ?? ''));
      await faults.setDisk('warn');
      const alert = await poll('the disk alert', () => disk()[0], 60_000);
      expect(alert.text).toMatch(/^Disk: \d+(\.\d)? GiB free, below the \d+ GiB warning line$/);
      await faults.setDisk('normal');
      await poll(
        'the resolved edit',
        () => /^Resolved: Disk:/.test(emu.getMessage(OPS_CHANNEL, alert.ts)?.text ?? ''),
        60_000,
      );
      expect(disk()).toHaveLength(1);
    } finally {
      await bot?.stop();
      await emu.stop();
    }
  }, 180_000);
});

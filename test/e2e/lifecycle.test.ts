// Process lifecycle of the real bot: configuration errors, one instance per machine, and SIGTERM while a
// job child is running (nothing may be left behind).
import { readdirSync, readFileSync } from 'node:fs';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { ALLOWED_USER, isAlive, OPS_CHANNEL, type Rig, spawnBot, startRig, waitGone } from './harness.js';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Every descendant of `pid` (Linux /proc); empty elsewhere. */
function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const parent = new Map<number, number>();
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(e), ppid);
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

async function findFile(dir: string, name: string): Promise<string | undefined> {
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name === name) return path.join(e.parentPath, e.name);
  }
  return undefined;
}

describe('bot process lifecycle', () => {
  it('exits 78 naming each bad variable, with no stack trace', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ytm-cfg-'));
    try {
      const base = { PATH: process.env.PATH ?? '', HOME: dir, YTM_ENV_FILE: path.join(dir, 'none.env') };
      const bad = spawnBot({ ...base, YTM_WORKSPACE_ROOT: dir, YTM_SLACK_ALLOWED_USERS: 'bob' }, dir);
      expect(await bad.exited(10_000)).toBe(78);
      expect(bad.stderr()).toContain('YTM_SLACK_ALLOWED_USERS');
      expect(bad.stderr()).not.toMatch(/\n\s+at /);

      const noTokens = spawnBot({ ...base, YTM_WORKSPACE_ROOT: dir, YTM_SLACK_CLIENT_PING_TIMEOUT_MS: 'soon' }, dir);
      expect(await noTokens.exited(10_000)).toBe(78);
      expect(noTokens.stderr()).toContain('SLACK_BOT_TOKEN');
      expect(noTokens.stderr()).toContain('SLACK_APP_TOKEN');
      expect(noTokens.stderr()).toContain('YTM_SLACK_CLIENT_PING_TIMEOUT_MS');
      expect(noTokens.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a second bot refuses to start while the first runs, and the first keeps working', async () => {
    rig = await startRig({ faults: false });
    const second = spawnBot(rig.env, rig.dir);
    expect(await second.exited(10_000)).toBe(75);
    expect(second.stderr()).toContain('another instance is running');
    expect(second.stderr()).toContain(`pid ${rig.bot.pid}`);
    expect(rig.emu.connections).toHaveLength(1);
    const push = rig.emu.pushSlashCommand({ text: 'help', user_id: ALLOWED_USER, channel_id: OPS_CHANNEL });
    await rig.emu.waitForAck(push.envelopeId, 3000);
  });

  it('SIGTERM while a doctor job runs: the bot, the job child and every descendant are gone, the lock released', async () => {
    rig = await startRig({
      faults: false,
      // A status.json that is a FIFO blocks the doctor's read until its time budget: a job that is still running.
      extraEnv: { YTM_DOCTOR_BUDGET_SEC: '120' },
      prepare: async (ws) => {
        const file = await findFile(ws.paths.scripts, 'status.json');
        if (!file) throw new Error('fixture has no status.json');
        await rm(file);
        await execa('mkfifo', [file]);
      },
    });
    const push = rig.emu.pushSlashCommand({ text: 'doctor', user_id: ALLOWED_USER, channel_id: OPS_CHANNEL });
    await rig.emu.waitForAck(push.envelopeId, 3000);
    const started = await rig.bot.waitForLog((l) => l.msg === 'job started');
    const jobPid = Number(started.pid);
    expect(jobPid).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(isAlive(jobPid)).toBe(true); // still running: the SIGTERM below really has something to cancel
    const family = [rig.bot.pid, ...descendants(rig.bot.pid)];
    expect(family).toContain(jobPid);

    const code = await rig.bot.stop(15_000);
    expect(code).toBe(0);
    for (const pid of family) expect(await waitGone(pid, 5000), `pid ${pid}`).toBe(true);
    await expect(access(path.join(rig.stateDir, 'bot.lock'))).rejects.toThrow();
    // Bolt stopped first (close 1000 from the client), and the cancelled job was reported, not lost.
    expect(rig.bot.lines.findIndex((l) => l.msg === 'shutting down')).toBeLessThan(
      rig.bot.lines.findIndex((l) => l.msg === 'job finished' && l.status === 'cancelled'),
    );
    await rig.emu.waitForClose(1, 3000);
  });
});

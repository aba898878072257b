// End to end, the approval flow when things go wrong, through the REAL bot process and the loopback Slack
// emulator: a plan left alone past YTM_PLAN_TTL_MIN expires on its card and cannot be approved afterwards; an
// apply child that crashes while the bot lives ends `interrupted` on its card and the bot keeps answering; an
// apply that hits ENOSPC on the share (a real tmpfs filled mid-copy) ends with a card that says why.
import { existsSync, mkdirSync, readFileSync, renameSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreAction } from '../../jobs/store/action.js';
import { canMount, mountTmpfs, type TmpfsMount } from '../faults/tmpfs.js';
import {
  APPROVER,
  applyStarts,
  auditKinds,
  bigFile,
  buttonsOf,
  type Card,
  clearSharedScripts,
  click,
  copyUnderWay,
  ephemeralFor,
  MiB,
  poll,
  postedEpisodes,
  readRecord,
  requestCard,
  sha256File,
  sha256Stream,
  wavOf,
} from './approvals-support.js';
import { ALLOWED_USER, isAlive, OPS_CHANNEL, type Rig, startRig, waitGone } from './harness.js';

const WAV_BYTES = 256 * MiB;

const approvalEnv = {
  YTM_SLACK_ALLOWED_USERS: `${ALLOWED_USER},${APPROVER}`,
  YTM_SLACK_APPROVERS: APPROVER,
  YTM_MONITOR_INTERVAL_SEC: '1',
};

const actionsOf = (rig: Rig, planId: string) => readRecord(rig, planId).plan.actions as unknown as StoreAction[];

async function settled(card: Card, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return poll(`card to match ${pattern}`, () => (pattern.test(card.text()) ? card.text() : undefined), timeoutMs);
}

async function applyChildPid(rig: Rig, planId: string): Promise<number> {
  const started = await rig.bot.waitForLog(
    (l) => l.msg === 'job started' && Array.isArray(l.args) && l.args[0] === 'apply' && l.args[1] === planId,
    15_000,
  );
  return started.pid as number;
}

describe('a plan TTL of 15 s (YTM_PLAN_TTL_MIN=0.25) and an apply child that crashes', () => {
  let rig: Rig;
  let posted: string[];
  beforeAll(async () => {
    rig = await startRig({
      prepare: async (ws) => {
        clearSharedScripts(ws);
        bigFile(wavOf(ws, postedEpisodes(ws)[1] as string), WAV_BYTES);
      },
      extraEnv: { ...approvalEnv, YTM_PLAN_TTL_MIN: '0.25' },
    });
    posted = postedEpisodes(rig.ws);
  }, 90_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('a plan nobody approves expires by itself: the card says "expired, not run" and a later Approve does nothing', async () => {
    const card = await requestCard(rig, `store --episode ${posted[0]}`);
    const planId = card.planId as string;
    const rec = readRecord(rig, planId);
    expect(Date.parse(rec.expiresAt) - Date.parse(rec.createdAt)).toBe(15_000);
    const text = await settled(card, /Expired, not run/, 45_000);
    expect(text).toContain(rec.expiresAt);
    expect(buttonsOf(card.message())).toEqual([]);
    expect(readRecord(rig, planId).state).toBe('expired');
    await poll('expiry audit', async () => (await auditKinds(rig, planId, 'plan.expired')) === 1);

    const late = click(rig, card, 'plan.approve', APPROVER);
    expect(await ephemeralFor(rig, late.responseUrlId as string)).toContain('expired');
    expect(readRecord(rig, planId).state).toBe('expired');
    expect(applyStarts(rig, planId)).toBe(0);
    for (const a of actionsOf(rig, planId)) expect(sha256File(a.src)).toBe(a.sha256);
    rig.emu.assertNoViolations();
  }, 60_000);

  it('an apply child killed mid-copy while the bot lives: the plan ends interrupted, the card says so, the bot still answers', async () => {
    const ep = posted[1] as string;
    const card = await requestCard(rig, `store --episode ${ep}`, ALLOWED_USER, 60_000);
    const planId = card.planId as string;
    await poll('the card ref on the plan', () => readRecord(rig, planId).slack);
    const wav = actionsOf(rig, planId).find((a) => a.src === wavOf(rig.ws, ep)) as StoreAction;
    expect(wav.size).toBe(WAV_BYTES);
    click(rig, card, 'plan.approve', APPROVER);
    const child = await applyChildPid(rig, planId);
    await copyUnderWay(rig, planId, wav.dest, 60_000);
    process.kill(child, 'SIGKILL');
    expect(await waitGone(child)).toBe(true);

    const text = await settled(card, /Interrupted/);
    expect(text).toContain('What was done:');
    expect(text).toContain('not run again automatically');
    expect(buttonsOf(card.message())).toEqual([]);
    expect(readRecord(rig, planId).state).toBe('interrupted');
    expect(isAlive(rig.bot.pid)).toBe(true);

    // The bot still answers commands.
    const push = rig.emu.pushSlashCommand({ text: 'help', user_id: ALLOWED_USER, channel_id: OPS_CHANNEL });
    const ack = await rig.emu.waitForAck(push.envelopeId, 5000);
    expect(String(ack.payload.text ?? '')).toContain('what I can do');
    // And a later click does not run the plan again.
    const again = click(rig, card, 'plan.approve', APPROVER);
    expect(await ephemeralFor(rig, again.responseUrlId as string)).toContain('interrupted');
    expect(applyStarts(rig, planId)).toBe(1);
    expect(await sha256Stream(wav.src)).toBe(wav.sha256);
    rig.emu.assertNoViolations();
  }, 180_000);
});

/** Takes every free byte of the file system at `dir` at once (fallocate), racing a copy that is writing there. */
async function fillUp(dir: string): Promise<void> {
  for (let i = 0; ; i++) {
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    if (free < 64 * 1024) return;
    const r = await execa('fallocate', ['-l', String(free - 32 * 1024), path.join(dir, `filler-${i}.bin`)], {
      reject: false,
    });
    if (r.exitCode !== 0 && i > 50) throw new Error(`cannot fill ${dir}: ${r.stderr}`);
  }
}

describe.skipIf(canMount() !== null)('an apply that runs out of space on the share (tmpfs)', () => {
  let rig: Rig;
  let share: TmpfsMount | undefined;
  beforeAll(async () => {
    rig = await startRig({
      prepare: async (ws) => {
        clearSharedScripts(ws);
        bigFile(wavOf(ws, postedEpisodes(ws)[0] as string), WAV_BYTES);
        // The share becomes a tmpfs with room for the plan (it passes the free-space check) and little more.
        const was = `${ws.paths.share}.orig`;
        renameSync(ws.paths.share, was);
        mkdirSync(ws.paths.share);
        const used = Number((await execa('du', ['-sm', was])).stdout.split('\t')[0]);
        share = await mountTmpfs(ws.paths.share, used + WAV_BYTES / MiB + 16);
        await execa('cp', ['-a', `${was}/.`, ws.paths.share]);
      },
      extraEnv: approvalEnv,
    });
  }, 120_000);
  afterAll(async () => {
    await rig?.bot.stop();
    await share?.close();
    await rig?.close();
  });

  it('the card, the journal and the run report say failed with ENOSPC; the plan ends failed; no partial file under the final name', async () => {
    const ep = postedEpisodes(rig.ws)[0] as string;
    const card = await requestCard(rig, `store --episode ${ep}`, ALLOWED_USER, 60_000);
    const planId = card.planId as string;
    await poll('the card ref on the plan', () => readRecord(rig, planId).slack);
    const wav = actionsOf(rig, planId).find((a) => a.src === wavOf(rig.ws, ep)) as StoreAction;
    click(rig, card, 'plan.approve', APPROVER);
    await applyChildPid(rig, planId);
    // Another writer takes the rest of the share while the WAV is being copied.
    await copyUnderWay(rig, planId, wav.dest, 60_000);
    await fillUp(rig.ws.paths.share);

    const text = await settled(card, /FAILED/);
    expect(text).toMatch(/Failed|Partly done/);
    expect(text).toContain(path.basename(wav.dest));
    expect(text).toMatch(/no space left|ENOSPC/);
    const rec = readRecord(rig, planId);
    expect(['failed', 'partial']).toContain(rec.state);
    // The journal and the run report say the same as the card.
    const journal = readFileSync(path.join(rig.stateDir, 'journal', `${planId}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: string; status?: string; message?: string });
    expect(journal.filter((l) => l.t === 'end' && l.status === 'failed').map((l) => l.message)).toEqual([
      expect.stringMatching(/no space left|ENOSPC/),
    ]);
    const reportPath = (rec.result as { report?: string } | undefined)?.report as string;
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
      planId: string;
      state: string;
      outcomes: { status: string; message: string }[];
    };
    expect(report).toMatchObject({ planId, state: rec.state });
    expect(report.outcomes.filter((o) => o.status === 'failed').map((o) => o.message)).toEqual([
      expect.stringMatching(/no space left|ENOSPC/),
    ]);
    expect(await auditKinds(rig, planId, 'job.result')).toBe(1);
    expect(applyStarts(rig, planId)).toBe(1);
    expect(await sha256Stream(wav.src)).toBe(wav.sha256);
    expect(existsSync(wav.dest)).toBe(false);
    rig.emu.assertNoViolations();
  }, 180_000);
});

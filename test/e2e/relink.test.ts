// End to end in Slack (real bot, loopback emulator, generated workspace): `/ytm relink <episode>` posts the
// candidates with a "Use this draft" button each; a click posts the plan card; Approve applies it once. A button
// value naming something else than a candidate of that episode plans nothing.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../slack/emulator.js';
import { APPROVER, applyStarts, cardText, click, ephemeralFor, poll, readRecord } from './approvals-support.js';
import { ALLOWED_USER, OPS_CHANNEL, type Rig, startRig } from './harness.js';

let rig: Rig;
let episode: string;

beforeAll(async () => {
  rig = await startRig({ extraEnv: { YTM_SLACK_APPROVERS: APPROVER } });
  const broken = rig.ws.details.hotViolations.find((v) => v.code === 'HOT_RUN_SYMLINK_BROKEN');
  episode = broken?.episode as string;
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

interface Accessory {
  action_id: string;
  value: string;
}

const accessories = (m: StoredMessage | undefined): Accessory[] =>
  ((m?.blocks ?? []) as { accessory?: Accessory }[]).flatMap((b) => (b.accessory ? [b.accessory] : []));

const planCards = (before: Set<string>) =>
  rig.emu
    .messages(OPS_CHANNEL)
    .filter((m) => !before.has(m.ts) && !m.thread_ts && /^Plan [0-9a-f]{10}:/.test(m.text ?? ''));

async function candidatesMessage(): Promise<StoredMessage> {
  const before = new Set(rig.emu.messages(OPS_CHANNEL).map((m) => m.ts));
  const push = rig.emu.pushSlashCommand({ text: `relink ${episode}`, user_id: ALLOWED_USER, channel_id: OPS_CHANNEL });
  const ack = await rig.emu.waitForAck(push.envelopeId, 3000);
  expect(String(ack.payload.text)).toContain('looking for candidate drafts');
  return poll('the candidate list', () =>
    rig.emu.messages(OPS_CHANNEL).find((m) => !before.has(m.ts) && (m.text ?? '').startsWith(`Relink ${episode}`)),
  );
}

describe('/ytm relink in Slack', () => {
  let list: StoredMessage;

  it('shows the broken wiring and one "Use this draft" button per expected candidate', async () => {
    list = await candidatesMessage();
    const text = cardText(list);
    expect(text).toContain('Broken because');
    expect(text).toContain('that folder does not exist on this Mac');
    const want = rig.ws.details.draftCandidates[episode] ?? [];
    expect(want.length).toBeGreaterThan(0);
    const buttons = accessories(list);
    expect(buttons.map((b) => b.action_id)).toEqual(want.map(() => 'relink.use_draft'));
    for (const [i, b] of buttons.entries()) {
      const v = JSON.parse(b.value) as { e: string; r: string; n: string };
      expect(v.e).toBe(episode);
      expect(path.join(rig.ws.paths.capcutDraftRoot, v.n)).toBe(want[i]?.path);
    }
    rig.emu.assertNoViolations();
  }, 40_000);

  it('a tampered button value plans nothing and says so', async () => {
    const before = new Set(rig.emu.messages(OPS_CHANNEL).map((m) => m.ts));
    for (const value of [
      JSON.stringify({ e: episode, r: 'capcut_draft_root', n: `../../elsewhere/★${episode}` }),
      JSON.stringify({ e: episode, r: 'share', n: `★${episode}` }),
      JSON.stringify({ e: episode, r: 'capcut_draft_root', n: 'CH99-999-other' }),
      '/etc',
    ]) {
      const c = rig.emu.pushBlockAction({
        user: ALLOWED_USER,
        channel: OPS_CHANNEL,
        message_ts: list.ts,
        action_id: 'relink.use_draft',
        value,
      });
      await rig.emu.waitForAck(c.envelopeId, 3000);
      expect(await ephemeralFor(rig, c.responseUrlId as string)).toContain(':no_entry:');
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(planCards(before)).toEqual([]);
  }, 40_000);

  it('"Use this draft" posts the plan card; Approve applies it once', async () => {
    const chosen = accessories(list)[0] as Accessory;
    const draft = path.join(rig.ws.paths.capcutDraftRoot, (JSON.parse(chosen.value) as { n: string }).n);
    const runDir = path.join(
      rig.ws.paths.videoRuns,
      rig.ws.details.hotViolations.find((v) => v.episode === episode)?.run as string,
    );
    const before = new Set(rig.emu.messages(OPS_CHANNEL).map((m) => m.ts));
    const c = rig.emu.pushBlockAction({
      user: ALLOWED_USER,
      channel: OPS_CHANNEL,
      message_ts: list.ts,
      action_id: 'relink.use_draft',
      value: chosen.value,
    });
    await rig.emu.waitForAck(c.envelopeId, 3000);
    const card = await poll('the plan card', () => planCards(before)[0], 30_000);
    const text = cardText(card);
    expect(text).toContain(`relink · ${episode}`);
    expect(text).toContain('capcut_draft.symlink_backup__');
    const approve = ((card.blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[])
      .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
      .find((b) => b.action_id === 'plan.approve');
    const planId = approve?.value as string;
    expect(planId).toMatch(/^[0-9a-f]{64}$/);
    expect(readlinkSync(path.join(runDir, 'capcut_draft'))).not.toBe(draft);

    const cardRef = { ts: card.ts, planId, message: () => card, text: () => text };
    const first = click(rig, cardRef, 'plan.approve', APPROVER);
    const second = click(rig, cardRef, 'plan.approve', APPROVER);
    await rig.emu.waitForAck(first.envelopeId, 3000);
    await rig.emu.waitForAck(second.envelopeId, 3000);
    await poll('the plan to succeed', () => readRecord(rig, planId).state === 'succeeded', 30_000);
    expect(applyStarts(rig, planId)).toBe(1);
    expect(readlinkSync(path.join(runDir, 'capcut_draft'))).toBe(draft);
    expect(readdirSync(runDir).filter((n) => n.startsWith('capcut_draft.symlink_backup__'))).toHaveLength(1);
    const info = JSON.parse(readFileSync(path.join(runDir, 'capcut_draft_info.json'), 'utf8'));
    expect(info.draft_path).toBe(draft);
    const logDir = path.join(rig.ws.paths.workspace, 'logs', 'ops', 'hot_assets_doctor');
    expect(existsSync(logDir)).toBe(true);
    const lines = readdirSync(logDir)
      .filter((f) => f.startsWith('relink_applied__'))
      .flatMap((f) => readFileSync(path.join(logDir, f), 'utf8').trim().split('\n'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ episode, new_draft_dir: draft, plan_id: planId });
    rig.emu.assertNoViolations();
  }, 60_000);
});

// `/ytm vault` through the real bot and the loopback Slack emulator: the dry run posts a plan card with the
// counts and example links, and an approval applies exactly that plan (the generated workspace's vault has the
// predecessor's absolute links: audio/final, a thumbnails backup alias, a video/input file link).
import { lstatSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVER, type Card, click, poll, readRecord, requestCard } from '../e2e/approvals-support.js';
import { ALLOWED_USER, type Rig, startRig } from '../e2e/harness.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({
    extraEnv: { YTM_SLACK_ALLOWED_USERS: `${ALLOWED_USER},${APPROVER}`, YTM_SLACK_APPROVERS: APPROVER },
  });
}, 90_000);
afterAll(async () => {
  await rig?.close();
});

describe('/ytm vault → plan card → Approve', () => {
  let card: Card;

  it('posts a card with the counts and the links it will make relative', async () => {
    card = await requestCard(rig, 'vault');
    const text = card.text();
    expect(text).toContain('Plan: vault');
    expect(text).toMatch(/make 3 absolute link\(s\) into the share relative/);
    expect(text).toContain('make relative audio/final');
    expect(text).toContain('thumbnails/assets.symlink_lenovo_backup_20260124_214045');
    // Not a store: the card does not claim files are going anywhere.
    expect(text).not.toContain('files go to');
    expect(readRecord(rig, card.planId as string).state).toBe('awaiting_approval');
  });

  it('Approve applies it: the links are relative and still resolve', async () => {
    click(rig, card, 'plan.approve', APPROVER);
    await poll('the card to say Done', () => (/Done/.test(card.text()) ? true : undefined), 30_000);
    expect(readRecord(rig, card.planId as string).state).toBe('succeeded');
    const vault = path.join(rig.env.YTM_SHARED_STORAGE_ROOT as string, 'ytm_workspaces');
    const link = path.join(vault, 'audio', 'final');
    expect(path.isAbsolute(readlinkSync(link))).toBe(false);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(statSync(link).isDirectory()).toBe(true);
  });
});

// `/ytm mirror` in Slack (the real bot over the loopback Slack emulator, on a generated workspace): the card
// shows the dry run's counts and bytes per pass, Approve applies the plan once, and the vault then holds the
// workspace with its sentinel.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VAULT_SENTINEL } from '../../lib/paths.js';
import { APPROVER, buttonsOf, click, poll, readRecord, requestCard } from '../e2e/approvals-support.js';
import { ALLOWED_USER, type Rig, startRig } from '../e2e/harness.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({
    faults: false,
    extraEnv: {
      YTM_SLACK_ALLOWED_USERS: `${ALLOWED_USER},${APPROVER}`,
      YTM_SLACK_APPROVERS: APPROVER,
    },
  });
}, 90_000);
afterAll(async () => {
  await rig?.close();
});

describe('/ytm mirror → plan card → Approve', () => {
  it('the card shows each pass with its counts and bytes; Approve mirrors once', { timeout: 120_000 }, async () => {
    const card = await requestCard(rig, 'mirror --bootstrap-dest', ALLOWED_USER, 60_000);
    const planId = card.planId as string;
    expect(planId).toMatch(/^[0-9a-f]{64}$/);
    const text = card.text();
    expect(text).toContain('Plan: mirror');
    expect(text).toMatch(/main \(delete-sync\): \d+ to create, \d+ to update, \d+ to delete, [\d.]+ (B|KiB|MiB)/);
    expect(text).toMatch(/protected:scripts \(copy only\): \d+ to create/);
    const buttons = buttonsOf(card.message());
    expect(buttons.map((b) => b.action_id)).toEqual(['plan.approve', 'plan.cancel']);
    expect(buttons[0]?.confirm).toBeDefined(); // delete-sync: destructive

    const vault = readRecord(rig, planId).plan.preconditions.dest as string;
    await click(rig, card, 'plan.approve', APPROVER);
    await poll('the plan to finish', () => (readRecord(rig, planId).state === 'succeeded' ? true : undefined), 90_000);
    expect(JSON.parse(readFileSync(path.join(vault, VAULT_SENTINEL), 'utf8')).schema).toBe(
      'ytm.vault.workspaces_root.v1',
    );
    expect(existsSync(path.join(vault, 'scripts'))).toBe(true);
    rig.emu.assertNoViolations();
  });
});

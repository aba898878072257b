// A scheduled run refused with a code its manifest entry lists under approval.onRefusal (the mirror over its
// delete limit) posts the plan it names to YTM_SLACK_ALERT_CHANNEL as an approval card, through a real Web API
// client against the loopback Slack emulator; while that card waits, later refused ticks post nothing new. The
// refusing child is a scripted stand-in printing the refusal JSON (the mirror job is built elsewhere).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { askApprovalOnRefusals } from '../../bot/schedule/approval.js';
import { planJob } from '../../jobs/engine/plan.js';
import { storeJob } from '../../jobs/store/job.js';
import { getPlan, savePlan } from '../../lib/approvals/store.js';
import { loadScheduleState } from '../../lib/schedule/state.js';
import { buttonsOf } from '../e2e/approvals-support.js';
import { contextFor, storeInput } from '../jobs/support/engine.js';
import { type MiniWorkspace, miniWorkspace } from '../jobs/support/workspace.js';
import { SlackEmulator } from '../slack/emulator.js';
import { entry, SCRIPTED_CHILD, type SchedulerRig, schedulerRig } from './schedule-support/rig.js';

const ALERTS = 'C0ALERTS01';
const APPROVER = 'U0APPROVE1';

let w: MiniWorkspace;
let emu: SlackEmulator;
let rig: SchedulerRig | undefined;
beforeEach(async () => {
  w = miniWorkspace({ prefix: 'ytm-sched-approval-' });
  emu = await SlackEmulator.start();
});
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  await emu.stop();
  rmSync(w.dir, { recursive: true, force: true });
});

/** A real plan (a store of one file), printed by the stand-in the way a refused scheduled run prints it. */
async function refusingChild(code: string) {
  const { plan, planId } = await planJob(
    storeJob,
    storeInput({ path: 'audio/final/CH02/043/CH02-043.wav' }),
    contextFor(w.env),
  );
  expect(plan.refusals).toEqual([]);
  const script = path.join(w.dir, 'script.json');
  const data = { planId, plan, refused: true, refusals: [{ code, message: 'would delete 1,204 files (limit 500)' }] };
  writeFileSync(script, JSON.stringify({ exitCode: 2, data }));
  mkdirSync(path.join(w.dir, 'pids'), { recursive: true });
  return { planId, childEnv: { SCRIPT_FILE: script, PID_DIR: path.join(w.dir, 'pids') } };
}

function startRig(env: Record<string, string>, childEnv: Record<string, string>, onRefusal: string[]) {
  const client = new WebClient(emu.botToken, { slackApiUrl: emu.apiUrl });
  return schedulerRig(
    env,
    [entry({ name: 'mirror', command: ['mirror', '--scheduled', '--run'], approvalOnRefusal: onRefusal })],
    {
      cliPath: SCRIPTED_CHILD,
      childEnv,
      wire: (deps, scheduler) => askApprovalOnRefusals(deps, client, scheduler),
    },
  );
}

const env = () => ({ ...w.env, YTM_SLACK_ALERT_CHANNEL: ALERTS, YTM_SLACK_APPROVERS: APPROVER });

describe('scheduled run refused for approval', () => {
  it('posts the named plan as an approval card in the alert channel, once while it waits', async () => {
    const { planId, childEnv } = await refusingChild('MIRROR_OVER_DELETE_LIMIT');
    rig = startRig(env(), childEnv, ['MIRROR_OVER_DELETE_LIMIT']);
    await rig.scheduler.start();
    const first = await rig.waitFor((r) => r.outcome === 'refused');
    expect(first.exitCode).toBe(2);

    const cards = emu.messages(ALERTS);
    expect(cards).toHaveLength(1);
    const approve = buttonsOf(cards[0]).find((b) => b.action_id === 'plan.approve');
    expect(approve?.value).toBe(planId);
    expect(JSON.stringify(cards[0]?.blocks)).toContain('schedule:mirror');
    expect(JSON.stringify(cards[0]?.blocks)).toContain('MIRROR_OVER_DELETE_LIMIT');
    const rec = await getPlan(w.state, planId);
    expect(rec).toMatchObject({ state: 'awaiting_approval', requestedBy: 'schedule:mirror', requestedIn: ALERTS });
    expect(rec?.slack).toMatchObject({ channel: ALERTS, ts: cards[0]?.ts });

    // Later ticks are refused the same way: the card that waits is not posted again.
    const later = await rig.waitFor((r) => r.outcome === 'refused' && r.startedAt !== first.startedAt);
    expect(later.exitCode).toBe(2);
    expect(emu.messages(ALERTS)).toHaveLength(1);
    await rig.close();
    rig = undefined;
    expect((await loadScheduleState(w.state)).entries.mirror).toMatchObject({
      awaitingPlan: planId,
      lastRun: { outcome: 'refused', exitCode: 2 },
    });
    emu.assertNoViolations();
  });

  it('posts a plan the refused run stored itself, named only by its planId and code', async () => {
    const { plan, planId } = await planJob(
      storeJob,
      storeInput({ path: 'audio/final/CH02/043/CH02-043.wav' }),
      contextFor(w.env),
    );
    await savePlan(w.state, plan, { requestedBy: 'terminal:ops', ttlMs: 60_000 });
    const script = path.join(w.dir, 'script.json');
    writeFileSync(script, JSON.stringify({ exitCode: 2, data: { planId, code: 'MIRROR_OVER_DELETE_LIMIT' } }));
    rig = startRig(env(), { SCRIPT_FILE: script }, ['MIRROR_OVER_DELETE_LIMIT']);
    await rig.scheduler.start();
    await rig.waitFor((r) => r.outcome === 'refused');
    const cards = emu.messages(ALERTS);
    expect(cards).toHaveLength(1);
    expect(buttonsOf(cards[0]).find((b) => b.action_id === 'plan.approve')?.value).toBe(planId);
    // The stored record is kept as it was (its requester), and now knows its card.
    expect(await getPlan(w.state, planId)).toMatchObject({
      requestedBy: 'terminal:ops',
      slack: { channel: ALERTS, ts: cards[0]?.ts },
    });
  });

  it('posts nothing for a refusal code the entry does not list, nor without an alert channel', async () => {
    const { planId, childEnv } = await refusingChild('MIRROR_NO_SENTINEL');
    rig = startRig(env(), childEnv, ['MIRROR_OVER_DELETE_LIMIT']);
    await rig.scheduler.start();
    await rig.waitFor((r) => r.outcome === 'refused');
    await rig.close();
    expect(emu.messages(ALERTS)).toEqual([]);
    expect(await getPlan(w.state, planId)).toBeUndefined();

    const listed = await refusingChild('MIRROR_OVER_DELETE_LIMIT');
    rig = startRig(w.env, listed.childEnv, ['MIRROR_OVER_DELETE_LIMIT']); // no YTM_SLACK_ALERT_CHANNEL
    await rig.scheduler.start();
    await rig.waitFor((r) => r.outcome === 'refused');
    expect(emu.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });
});

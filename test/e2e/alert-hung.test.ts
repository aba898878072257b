// End to end on a hung share (a FUSE mount whose stat blocks): one "Share hung" alert that says how long probes
// have been stuck, the bot still acks commands while it lasts, no pile of stuck children however many monitor
// checks run, and the alert resolves in place once the share answers again.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers } from '../faults/leftovers.js';
import {
  closeAllStallingMounts,
  mountStallingFs,
  type StallingMount,
  stallFsUnavailableReason,
} from '../faults/stall-mount.js';
import { NAMESPACE } from '../fixtures/names.js';
import type { StoredMessage } from '../slack/emulator.js';
import { poll } from './approvals-support.js';
import { ALLOWED_USER, MONITOR_SCHEDULE, OPS_CHANNEL, type Rig, startRig } from './harness.js';

const noFuse = stallFsUnavailableReason();
const MARKER = randomUUID();
let rig: Rig;
let mount: StallingMount;
let tmp: string;

const hungPosts = () =>
  rig.emu.messages(OPS_CHANNEL).filter((m) => !m.thread_ts && /^(Resolved: )?Share hung/.test(m.text ?? ''));
const monitorRuns = () =>
  rig.bot.lines.filter((l) => l.msg === 'job finished' && JSON.stringify(l.args).includes('monitor')).length;
async function ticks(n: number) {
  const target = monitorRuns() + n;
  await poll(`${n} more monitor checks`, () => monitorRuns() >= target, 60_000);
}

describe.skipIf(noFuse !== null)(`alerts on a hung share (${noFuse ?? 'root + FUSE'})`, () => {
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ytm-alert-hung-'));
    const share = path.join(tmp, 'share');
    await mkdir(share);
    mount = await mountStallingFs(share, { stalled: false, namespace: NAMESPACE, maxSeconds: 300 });
    rig = await startRig({
      faults: false,
      extraEnv: {
        YTM_SHARED_STORAGE_ROOT: share,
        YTM_SHARED_STORAGE_MOUNT_REQUIRED: '1',
        YTM_SLACK_ALERT_CHANNEL: OPS_CHANNEL,
        YTM_MONITOR_INTERVAL_SEC: '1',
        YTM_SCHEDULE_MANIFEST: MONITOR_SCHEDULE,
        YTM_MONITOR_DOCTOR_EVERY_MIN: '0',
        YTM_SHARE_PROBE_TIMEOUT_MS: '1000',
        YTM_TEST_ALERT_HUNG: MARKER,
      },
    });
  }, 90_000);

  afterAll(async () => {
    await rig?.close();
    await closeAllStallingMounts();
    await rm(tmp, { recursive: true, force: true });
  });

  it('one alert that says how long probes have been stuck; the bot still acks; no pile of children', async () => {
    await ticks(2);
    expect(hungPosts()).toEqual([]);
    await mount.stall();
    const alert: StoredMessage = await poll('the hung alert', () => hungPosts()[0], 60_000);
    expect(alert.text).toMatch(
      /^Share hung since \d\d:\d\d: probes stuck for \d+ s \(pid \d+\); stores go to the outbox, mirror paused$/,
    );
    // Commands are still answered while the share hangs.
    const push = rig.emu.pushSlashCommand({ text: 'help', user_id: ALLOWED_USER, channel_id: OPS_CHANNEL });
    const ack = await rig.emu.waitForAck(push.envelopeId, 3000);
    expect(String(ack.payload.text ?? JSON.stringify(ack.payload.blocks))).toContain('what I can do');
    await ticks(6);
    expect(hungPosts()).toHaveLength(1);
    // Every monitor child has exited; what is left on the mount is at most the one stuck probe.
    const left = await leftovers(`YTM_TEST_ALERT_HUNG=${MARKER}`);
    expect(left.filter((p) => p.pid !== rig.bot.pid).length).toBeLessThanOrEqual(1);
  }, 120_000);

  it('the share answering again resolves the same message', async () => {
    const [alert] = hungPosts();
    if (!alert) throw new Error('no hung alert');
    await mount.unstall();
    await poll(
      'the resolved edit',
      () => /^Resolved: Share hung/.test(rig.emu.getMessage(OPS_CHANNEL, alert.ts)?.text ?? ''),
      60_000,
    );
    expect(hungPosts()).toHaveLength(1);
  }, 90_000);
});

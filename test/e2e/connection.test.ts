// The bot keeps (or regains) its Socket Mode connection: dropped TCP, Slack's refresh_requested, the
// silence watchdog, and a wall-clock jump (the process is frozen with SIGSTOP, as a sleeping Mac would be).
import { afterEach, describe, expect, it } from 'vitest';
import { ALLOWED_USER, OPS_CHANNEL, type Rig, startRig } from './harness.js';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A command on the newest connection is acked and answered there. */
async function helpWorks(r: Rig, connection: number): Promise<void> {
  const push = r.emu.pushSlashCommand({ text: 'help', user_id: ALLOWED_USER, channel_id: OPS_CHANNEL });
  expect(push.connection).toBe(connection);
  const ack = await r.emu.waitForAck(push.envelopeId, 3000);
  expect(ack.connection).toBe(connection);
  expect(JSON.stringify(ack.payload.blocks)).toContain('Commands:');
}

describe('Socket Mode connection', () => {
  it('reconnects after the TCP connection drops, and after refresh_requested; commands work afterwards', async () => {
    rig = await startRig({ faults: false });
    await helpWorks(rig, 1);

    rig.emu.dropSockets();
    await rig.emu.waitForConnection(2, 5000);
    await helpWorks(rig, 2);

    rig.emu.disconnect('refresh_requested');
    await rig.emu.waitForConnection(3, 5000);
    await helpWorks(rig, 3);
    expect(rig.emu.callsTo('apps.connections.open')).toHaveLength(3);

    // A job still runs and reports after the reconnects.
    const push = rig.emu.pushSlashCommand({ text: 'doctor', user_id: ALLOWED_USER, channel_id: OPS_CHANNEL });
    await rig.emu.waitForAck(push.envelopeId, 3000);
    const post = await rig.emu.waitForResponse(
      (p) => p.id === push.responseUrlId && p.body.response_type === 'in_channel',
      20_000,
    );
    expect(JSON.stringify(post.body.blocks)).toContain('Storage is healthy');
  });

  it('the watchdog forces a new connection when nothing arrives for too long', async () => {
    rig = await startRig({ faults: false, extraEnv: { YTM_SLACK_WATCHDOG_SILENCE_MS: '1500' } });
    await rig.emu.waitForConnection(2, 8000);
    await rig.bot.waitForLog((l) => l.msg === 'watchdog: no Socket Mode message for too long; forcing a reconnect');
    await rig.bot.waitForLog((l) => l.msg === 'watchdog: reconnected');
    const n = rig.emu.connections.length;
    await helpWorks(rig, n);
    // The old socket was closed by the client, not left half-open.
    expect(rig.emu.connections[0]?.closedAt).toBeDefined();
  });

  it('the watchdog forces a new connection after a wall-clock jump (process frozen, as in sleep)', async () => {
    rig = await startRig({
      faults: false,
      // A long client ping timeout keeps socket-mode's own pong check out of it: only the wake detector acts.
      extraEnv: { YTM_SLACK_WAKE_JUMP_MS: '1000', YTM_SLACK_CLIENT_PING_TIMEOUT_MS: '20000' },
    });
    await helpWorks(rig, 1);
    process.kill(rig.bot.pid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 2500));
    process.kill(rig.bot.pid, 'SIGCONT');
    const line = await rig.bot.waitForLog((l) => l.msg.startsWith('watchdog: timers fired late'));
    expect(Number(line.lateMs)).toBeGreaterThan(1000);
    await rig.emu.waitForConnection(2, 5000);
    await rig.bot.waitForLog((l) => l.msg === 'watchdog: reconnected');
    await helpWorks(rig, 2);
  });
});

// End to end: the real bot process with a manifest of 1-second jobs (`ytm status`, `ytm plans`) runs each as a
// child on its tick and records it; a heartbeat URL that never answers does not hold up an ack; SIGTERM stops
// the cron tasks, the children and the bot (exit 0, nothing left behind), and `ytm status` then shows the
// recorded runs and says the bot is not running.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScheduleState } from '../../lib/schedule/state.js';
import { runCli } from '../helpers/cli.js';
import { poll } from './approvals-support.js';
import { ALLOWED_USER, OPS_CHANNEL, type Rig, startRig, waitGone } from './harness.js';

const SECRET = 'b7c1e0d2-5a4f-4c3e-9d8b-6f1a2e3d4c5b';

let rig: Rig;
let dir: string;
let heartbeat: Server;
const pings: IncomingMessage[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ytm-e2e-schedule-'));
  const manifest = path.join(dir, 'schedule.yaml');
  await writeFile(
    manifest,
    [
      'version: 1',
      'jobs:',
      '  status:',
      '    command: [status]',
      '    schedule: { everySec: 1 }',
      '    timeoutSec: 30',
      '  plans:',
      '    command: [plans]',
      '    schedule: { everySec: YTM_MONITOR_INTERVAL_SEC }',
      '    timeoutSec: 30',
      '',
    ].join('\n'),
  );
  // A heartbeat endpoint that takes every request and never answers.
  heartbeat = createServer((req) => pings.push(req));
  await new Promise<void>((r) => heartbeat.listen(0, '127.0.0.1', r));
  const port = (heartbeat.address() as AddressInfo).port;
  rig = await startRig({
    extraEnv: {
      YTM_SCHEDULE_MANIFEST: manifest,
      YTM_MONITOR_INTERVAL_SEC: '1',
      YTM_HEARTBEAT_URL: `http://127.0.0.1:${port}/ping/${SECRET}`,
    },
  });
}, 90_000);

afterAll(async () => {
  await rig?.close();
  heartbeat?.closeAllConnections();
  await new Promise((r) => heartbeat?.close(r));
  await rm(dir, { recursive: true, force: true });
});

describe('scheduled jobs in the bot', () => {
  it('runs every manifest job as a child on its tick, acks commands while the heartbeat hangs, and stops cleanly', async () => {
    const started = await rig.bot.waitForLog((l) => l.msg === 'scheduler started');
    expect((started.jobs as { name: string }[]).map((j) => j.name)).toEqual(['status', 'plans']);

    const state = await poll(
      'a recorded ok run of both jobs',
      async () => {
        const s = await loadScheduleState(rig.stateDir);
        return s.entries.status?.lastRun?.outcome === 'ok' && s.entries.plans?.lastRun?.outcome === 'ok'
          ? s
          : undefined;
      },
      30_000,
    );
    expect(state.entries.status?.lastRun?.exitCode).toBe(0);
    expect(state.entries.plans?.schedule).toBe('every 1 s (YTM_MONITOR_INTERVAL_SEC)');
    expect(state.entries.status?.nextRunAt).toEqual(expect.any(String));

    // The heartbeat was sent (and is still waiting for an answer); a command is acked all the same.
    await poll('a heartbeat request', () => (pings.length > 0 ? pings : undefined));
    expect(pings[0]?.method).toBe('POST');
    expect(pings[0]?.url).toBe(`/ping/${SECRET}`);
    const push = rig.emu.pushSlashCommand({ text: 'help', user_id: ALLOWED_USER, channel_id: OPS_CHANNEL });
    const ack = await rig.emu.waitForAck(push.envelopeId, 3000);
    expect(ack.payload.response_type).toBe('ephemeral');

    // Each run was a child of the bot; each is gone once the bot stopped.
    const children = rig.bot.lines
      .filter((l) => l.msg === 'job started' && ['status', 'plans'].includes((l.args as string[])[0] ?? ''))
      .map((l) => l.pid as number);
    expect(children.length).toBeGreaterThanOrEqual(2);
    expect(await rig.bot.stop()).toBe(0);
    for (const pid of children) expect(await waitGone(pid)).toBe(true);
    expect(rig.bot.lines.some((l) => l.msg === 'stopped')).toBe(true);
    expect(rig.bot.stderr()).not.toContain(SECRET);

    const status = await runCli(['status'], rig.env);
    expect(status.stdout).toContain('bot not running');
    expect(status.stdout).toMatch(/status\s+every 1 s\n\s+last ok/);
    expect(status.stdout).toMatch(/plans\s+every 1 s \(YTM_MONITOR_INTERVAL_SEC\)\n\s+last ok/);
  }, 60_000);
});

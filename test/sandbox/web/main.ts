// `npm run sandbox`: the whole bot in a browser, without a Slack workspace. On 127.0.0.1 only: the demo workspace,
// the loopback Slack emulator (which also serves the page), the real bot connected to it in Socket Mode with the
// monitor every few seconds, and the fault panel. Ctrl-C stops the bot, puts every fault back (no mount and no
// process left) and keeps the workspace.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ALLOWED_USER, baseEnv, MONITOR_SCHEDULE, OPS_CHANNEL, spawnBot } from '../../e2e/harness.js';
import type { GeneratedWorkspace } from '../../fixtures/workspace.js';
import { SlackEmulator } from '../../slack/emulator.js';
import { demoBanner, demoWorkspace } from '../workspace.js';
import { SandboxFaults } from './faults.js';
import type { SandboxChannel } from './page-state.js';
import { attachSandboxWeb } from './server.js';

const ALERT_CHANNEL = 'C0ALERTS01';
const USER = { id: ALLOWED_USER, name: 'you' };
const CHANNELS: [SandboxChannel, SandboxChannel] = [
  { id: OPS_CHANNEL, name: 'ytm-ops', purpose: 'Type /ytm commands here; plans wait here for Approve.' },
  {
    id: ALERT_CHANNEL,
    name: 'ytm-alerts',
    purpose: 'Share, disk and outbox alerts: posted once, edited when resolved.',
  },
];

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    reset: { type: 'boolean' },
    port: { type: 'string', default: '0' },
    'monitor-sec': { type: 'string', default: '3' },
  },
});
const ws = await demoWorkspace(path.resolve(values.dir ?? 'demo-workspace'), {
  reset: values.reset === true,
  faults: true,
  channels: 3,
  episodesPerChannel: 8,
});
const emu = await SlackEmulator.start({
  port: Number(values.port),
  channels: Object.fromEntries(CHANNELS.map((c) => [c.id, { name: c.name }])),
  users: { [USER.id]: { name: USER.name } },
});
// The fault panel reads the configuration the bot will (same state dir, same planning root); the bot gets its
// environment back without the disk thresholds, which live in the env file the panel rewrites.
const faults = await SandboxFaults.open({
  env: {
    ...baseEnv(emu, { env: ws.env } as GeneratedWorkspace, path.join(ws.dir, 'state')),
    YTM_SLACK_APPROVERS: USER.id,
    YTM_SLACK_ALERT_CHANNEL: ALERT_CHANNEL,
    YTM_SCHEDULE_MANIFEST: MONITOR_SCHEDULE,
    YTM_MONITOR_INTERVAL_SEC: values['monitor-sec'],
  },
  envFile: path.join(ws.dir, 'sandbox.env'),
});
const env = faults.botEnv();
const web = attachSandboxWeb(emu, { user: USER, channels: CHANNELS, faults });
// The sandbox may run all day with the monitor every few seconds: only recent log lines are kept.
const bot = spawnBot(env, ws.dir, { keepLines: 1000 });

let stopping: Promise<void> | undefined;
function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    web.close();
    await bot.stop();
    await faults.close();
    await emu.stop();
    process.stdout.write(
      `\nStopped. The demo workspace stays in ${ws.dir}; \`npm run sandbox -- --reset\` starts over.\n`,
    );
    process.exitCode = code;
  })();
  return stopping;
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
void bot.proc.then((r) => {
  if (stopping) return;
  process.stderr.write(`The bot exited (${r.exitCode ?? r.signal}):\n${bot.stderr().slice(-3000)}\n`);
  void stop(1);
});

try {
  await bot.waitForLog((l) => l.msg === 'bot connected (Socket Mode)', 30_000);
} catch (err) {
  process.stderr.write(`The bot did not connect: ${err instanceof Error ? err.message : String(err)}\n`);
  await stop(1);
}
if (!stopping)
  process.stdout.write(
    `${demoBanner(ws, 'npm run sandbox')}\n\n` +
      `Bot connected to the local Slack emulator. Open ${web.url}\n` +
      'Type /ytm doctor, or /ytm store --episode CH01-003 and press Approve; flip the share in the fault panel.\n' +
      'Ctrl-C stops everything. (`npm run sandbox:terminal` is the same bot for scripts, in the terminal.)\n',
  );

// `npm run sandbox`: the real bot, in Socket Mode, against the project's loopback Slack emulator and a generated
// workspace. Type `/ytm …` lines (or pipe them in); what the bot would show in Slack is printed as text, and
// `click <n>` / `approve` / `cancel` press its buttons. The workspace is kept between runs (`--reset` for a new one).
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ALLOWED_USER, baseEnv, OPS_CHANNEL, spawnBot } from '../e2e/harness.js';
import type { GeneratedWorkspace } from '../fixtures/workspace.js';
import { SlackEmulator } from '../slack/emulator.js';
import { buttonsIn, describeButtons, parseSandboxLine } from './buttons.js';
import { renderBlocks } from './render.js';
import { demoBanner, demoWorkspace } from './workspace.js';

const { values } = parseArgs({ options: { dir: { type: 'string' }, reset: { type: 'boolean' } } });
const ws = await demoWorkspace(path.resolve(values.dir ?? 'demo-workspace'), {
  reset: values.reset === true,
  faults: true,
  channels: 3,
  episodesPerChannel: 8,
});
const dir = ws.dir;
const emu = await SlackEmulator.start();
// Only the environment of the workspace is needed; its disk thresholds (0 GiB) stay, as the banner says.
const env = baseEnv(emu, { env: ws.env } as GeneratedWorkspace, path.join(dir, 'state'));
const bot = spawnBot({ ...env, YTM_SLACK_APPROVERS: ALLOWED_USER }, dir);
await bot.waitForLog((l) => l.msg === 'bot connected (Socket Mode)', 20_000);
process.stdout.write(
  `${demoBanner(ws, 'npm run sandbox')}\n` +
    'Bot connected to the local Slack emulator. Type /ytm commands (try `/ytm store --episode CH01-003`, then\n' +
    '`approve`); `buttons` lists the buttons, `click <n>` presses one; Ctrl-D ends.\n',
);

let seenCalls = 0;
let seenPosts = 0;
function printNew(): void {
  for (; seenCalls < emu.calls.length; seenCalls++) {
    const c = emu.calls[seenCalls];
    if (!c || !/^chat\.(postMessage|update|postEphemeral)$/.test(c.method)) continue;
    process.stdout.write(`\n[${c.method}]\n${renderBlocks(c.body.blocks, String(c.body.text ?? ''))}\n`);
  }
  for (; seenPosts < emu.responsePosts.length; seenPosts++) {
    const p = emu.responsePosts[seenPosts];
    if (p)
      process.stdout.write(`\n[response ${p.effect}]\n${renderBlocks(p.body.blocks, String(p.body.text ?? ''))}\n`);
  }
}

const channelButtons = () => buttonsIn(emu.messages(OPS_CHANNEL));

async function send(line: string): Promise<void> {
  let command = parseSandboxLine(line, channelButtons());
  // A button asked for right after a command (piped input) may belong to a card still being planned: wait.
  for (const started = Date.now(); command.kind === 'error' && Date.now() - started < 20_000; ) {
    await new Promise((r) => setTimeout(r, 200));
    printNew();
    command = parseSandboxLine(line, channelButtons());
  }
  if (command.kind === 'list' || command.kind === 'error') {
    process.stdout.write(`${command.kind === 'list' ? describeButtons(channelButtons()) : command.message}\n`);
    return;
  }
  const { envelopeId } =
    command.kind === 'press'
      ? emu.pushBlockAction({
          user: ALLOWED_USER,
          channel: OPS_CHANNEL,
          message_ts: command.button.messageTs,
          action_id: command.button.actionId,
        })
      : emu.pushSlashCommand({ command: '/ytm', text: command.text, user_id: ALLOWED_USER, channel_id: OPS_CHANNEL });
  if (command.kind === 'press') process.stdout.write(`(pressed [${command.button.label}])\n`);
  const ack = await emu.waitForAck(envelopeId, 5000);
  const payload = (ack.payload ?? {}) as { blocks?: unknown; text?: string };
  process.stdout.write(
    `\n[ack in ${ack.latencyMs.toFixed(1)} ms]\n${renderBlocks(payload.blocks, payload.text ?? '')}\n`,
  );
  // Print whatever the bot sends until it has been quiet for 1.5 s (a job answers after its child finishes).
  let quietSince = Date.now();
  for (const started = Date.now(); Date.now() - quietSince < 1500 && Date.now() - started < 20_000; ) {
    await new Promise((r) => setTimeout(r, 100));
    const before = seenCalls + seenPosts;
    printNew();
    if (seenCalls + seenPosts !== before) quietSince = Date.now();
  }
  const buttons = channelButtons();
  if (buttons.length > 0) process.stdout.write(`\n${describeButtons(buttons)}\n`);
}

const interactive = process.stdin.isTTY;
const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
try {
  if (interactive) lines.setPrompt('/ytm> ');
  if (interactive) lines.prompt();
  for await (const line of lines) {
    if (line.trim()) await send(line);
    if (interactive) lines.prompt();
  }
  if (!interactive && seenCalls === 0) await send('doctor');
} finally {
  lines.close();
  await bot.stop();
  await emu.stop();
  process.stdout.write(`\nThe demo workspace stays in ${dir}; \`npm run sandbox -- --reset\` starts over.\n`);
}

// `npm run sandbox`: the real bot, in Socket Mode, against the project's loopback Slack emulator and a generated
// workspace. Type `/ytm …` lines (or pipe them in); what the bot would show in Slack is printed as text.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { ALLOWED_USER, baseEnv, OPS_CHANNEL, spawnBot } from '../e2e/harness.js';
import { generateWorkspace } from '../fixtures/workspace.js';
import { SlackEmulator } from '../slack/emulator.js';
import { renderBlocks } from './render.js';

const dir = path.resolve('demo-workspace');
await rm(dir, { recursive: true, force: true });
const ws = await generateWorkspace({ dir, faults: true, channels: 3, episodesPerChannel: 8 });
const emu = await SlackEmulator.start();
// The fixture zeroes the disk thresholds for deterministic tests; the sandbox uses the real defaults.
const { YTM_DISK_WARN_GIB: _warn, YTM_DISK_STOP_GIB: _stop, ...env } = baseEnv(emu, ws, path.join(dir, 'state'));
const bot = spawnBot({ ...env, YTM_SLACK_APPROVERS: ALLOWED_USER }, dir);
await bot.waitForLog((l) => l.msg === 'bot connected (Socket Mode)', 20_000);
process.stdout.write(
  `Bot connected to the local Slack emulator (workspace: ${dir}). Type /ytm commands; Ctrl-D ends.\n`,
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

async function send(line: string): Promise<void> {
  const words = line
    .trim()
    .replace(/^\/ytm\b/, '')
    .trim();
  const { envelopeId } = emu.pushSlashCommand({
    command: '/ytm',
    text: words,
    user_id: ALLOWED_USER,
    channel_id: OPS_CHANNEL,
  });
  const ack = await emu.waitForAck(envelopeId, 5000);
  const payload = ack.payload as { blocks?: unknown; text?: string };
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
}

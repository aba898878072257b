// Helpers for the approval e2e tests: post a plan through `/ytm`, find its card, click its buttons, and read
// the plan record, the audit log and the bot's log the way an operator would check them.
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { ApprovalRecord } from '../../lib/approvals/record.js';
import { readAudit } from '../../lib/audit/log.js';
import type { GeneratedWorkspace } from '../fixtures/workspace.js';
import type { StoredMessage } from '../slack/emulator.js';
import { ALLOWED_USER, OPS_CHANNEL, type Rig } from './harness.js';

export const APPROVER = 'U0APPROVE1';

export interface Card {
  ts: string;
  planId: string | undefined;
  message: () => StoredMessage;
  text: () => string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function poll<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function cardText(m: StoredMessage | undefined): string {
  return m ? `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}` : '';
}

export function buttonsOf(m: StoredMessage | undefined): { action_id: string; value?: string; confirm?: unknown }[] {
  const out: { action_id: string; value?: string; confirm?: unknown }[] = [];
  for (const b of (m?.blocks ?? []) as { type: string; elements?: { action_id: string; value?: string }[] }[]) {
    if (b.type === 'actions') out.push(...(b.elements ?? []));
  }
  return out;
}

/** `/ytm <text>` as ALLOWED_USER in OPS_CHANNEL; resolves with the plan card it posts. */
export async function requestCard(rig: Rig, text: string, user = ALLOWED_USER, timeoutMs = 20_000): Promise<Card> {
  const before = new Set(rig.emu.messages(OPS_CHANNEL).map((m) => m.ts));
  const push = rig.emu.pushSlashCommand({ text, user_id: user, channel_id: OPS_CHANNEL });
  const ack = await rig.emu.waitForAck(push.envelopeId, 3000);
  if (!String(ack.payload.text ?? '').includes('planning'))
    throw new Error(`unexpected ack: ${JSON.stringify(ack.payload)}`);
  const msg = await poll(
    'the plan card',
    () =>
      rig.emu
        .messages(OPS_CHANNEL)
        .find((m) => !before.has(m.ts) && !m.thread_ts && /^Plan [0-9a-f]{10}:/.test(m.text ?? '')),
    timeoutMs,
  );
  const approve = buttonsOf(msg).find((b) => b.action_id === 'plan.approve' || b.action_id === 'plan.cancel');
  return {
    ts: msg.ts,
    planId: approve?.value,
    message: () => rig.emu.getMessage(OPS_CHANNEL, msg.ts) as StoredMessage,
    text: () => cardText(rig.emu.getMessage(OPS_CHANNEL, msg.ts)),
  };
}

/** A click on the card; the value is the plan id even once the button is gone (a stale client, a race). */
export function click(rig: Rig, card: Card, actionId: string, user: string) {
  return rig.emu.pushBlockAction({
    user,
    channel: OPS_CHANNEL,
    message_ts: card.ts,
    action_id: actionId,
    ...(card.planId ? { value: card.planId } : {}),
  });
}

/** The ephemeral answer a click got through its response_url. */
export async function ephemeralFor(rig: Rig, responseUrlId: string): Promise<string> {
  const post = await rig.emu.waitForResponse((p) => p.id === responseUrlId, 10_000);
  return `${String(post.body.text ?? '')} ${JSON.stringify(post.body.blocks ?? [])}`;
}

export function readRecord(rig: Rig, planId: string): ApprovalRecord {
  return JSON.parse(readFileSync(path.join(rig.stateDir, 'plans', `${planId}.json`), 'utf8')) as ApprovalRecord;
}

/** 'job started' log lines of `ytm apply <planId>`. */
export function applyStarts(rig: Rig, planId: string): number {
  return rig.bot.lines.filter(
    (l) => l.msg === 'job started' && Array.isArray(l.args) && l.args[0] === 'apply' && l.args[1] === planId,
  ).length;
}

export async function auditKinds(rig: Rig, planId: string, kind: string): Promise<number> {
  const entries = await readAudit(rig.stateDir);
  return entries.filter(
    (e) => e.kind === kind && (e.planId === planId || (e.data as { planId?: string })?.planId === planId),
  ).length;
}

export const sha256File = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** Posted episodes whose scripts the generated share does not already hold (so their plan has no refusal). */
export function postedEpisodes(ws: GeneratedWorkspace): string[] {
  return ws.details.episodes.filter((e) => e.postedCsv).map((e) => e.id);
}

/** The generated share holds older scripts of some posted episodes; remove them so a plain store can run. */
export function clearSharedScripts(ws: GeneratedWorkspace): void {
  for (const id of postedEpisodes(ws)) {
    const [ch, nnn] = id.split('-') as [string, string];
    rmSync(path.join(ws.paths.sharedBase, 'scripts', ch, nnn), { recursive: true, force: true });
  }
}

export const MiB = 1024 * 1024;

/** The final WAV of an episode id (CH01-002) in a generated workspace. */
export const wavOf = (ws: GeneratedWorkspace, id: string) => {
  const [ch, nnn] = id.split('-') as [string, string];
  return path.join(ws.paths.audioFinal, ch, nnn, `${id}.wav`);
};

/** Replaces a WAV with `bytes` of non-repeating-per-MiB data (fast to write, distinct content). */
export function bigFile(file: string, bytes: number): void {
  const block = Buffer.alloc(MiB);
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < bytes / MiB; i++) {
      block.writeUInt32LE(i, 0);
      block.fill(i & 0xff, 4, 4096);
      writeSync(fd, block);
    }
  } finally {
    closeSync(fd);
  }
}

/** Resolves once the copy to `dest` is under way: a temp file beside its final name, and the plan running. */
export function copyUnderWay(rig: Rig, planId: string, dest: string, timeoutMs = 15_000): Promise<true> {
  return poll(
    `the copy to ${path.basename(dest)} to be under way`,
    () =>
      readRecord(rig, planId).state === 'running' &&
      existsSync(path.dirname(dest)) &&
      readdirSync(path.dirname(dest)).some((f) => f !== path.basename(dest) && f.includes(path.basename(dest))),
    timeoutMs,
  ) as Promise<true>;
}

/** Hashes without blocking this process's event loop (the emulator lives here: a blocked loop loses pongs). */
export async function sha256Stream(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * MiB })) h.update(chunk as Buffer);
  return h.digest('hex');
}

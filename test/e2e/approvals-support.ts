// Helpers for the approval e2e tests: post a plan through `/ytm`, find its card, click its buttons, and read
// the plan record, the audit log and the bot's log the way an operator would check them.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
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
export async function requestCard(rig: Rig, text: string, user = ALLOWED_USER): Promise<Card> {
  const before = new Set(rig.emu.messages(OPS_CHANNEL).map((m) => m.ts));
  const push = rig.emu.pushSlashCommand({ text, user_id: user, channel_id: OPS_CHANNEL });
  const ack = await rig.emu.waitForAck(push.envelopeId, 3000);
  if (!String(ack.payload.text ?? '').includes('planning'))
    throw new Error(`unexpected ack: ${JSON.stringify(ack.payload)}`);
  const msg = await poll('the plan card', () =>
    rig.emu
      .messages(OPS_CHANNEL)
      .find((m) => !before.has(m.ts) && !m.thread_ts && /^Plan [0-9a-f]{10}:/.test(m.text ?? '')),
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

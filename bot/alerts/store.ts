// Alert state, the outbound queue and the alert messages' channel/ts, in ONE file under YTM_STATE_DIR written
// atomically: a restart sees either the state before a transition and its queued messages, or after, never a
// transition without its messages (so it neither repeats nor forgets an alert).
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MonitorSnapshot } from '../../jobs/monitor/snapshot.js';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';
import type { MachineState } from './machine.js';
import type { AlertKey } from './types.js';

export interface OutboundMessage {
  text: string;
  blocks: unknown[];
}

/** One Slack call waiting to be made, in order. `id` is its dedupe key (never sent twice). */
export interface OutboundOp {
  id: string;
  /** The incident whose message it posts, edits or replies to. */
  incident: string;
  /** post: the incident's message; update: edit it; reply: in its thread; notice: a channel message. */
  kind: 'post' | 'update' | 'reply' | 'notice';
  message: OutboundMessage;
  queuedAt: string;
}

export interface AlertStoreData {
  version: 1;
  machine: MachineState;
  queue: OutboundOp[];
  /** Ids of ops already sent (the most recent SENT_MEMORY), so a re-queued op is dropped. */
  sent: string[];
  /** Where each incident's message is. */
  messages: Record<string, { channel: string; ts: string }>;
  lastSnapshot: MonitorSnapshot | null;
  inhibited: AlertKey[];
}

const SENT_MEMORY = 500;
/** Messages of incidents this old are forgotten (a reply to them would land in a long-dead thread anyway). */
const MESSAGE_MEMORY = 200;

export const alertStateFile = (stateDir: string) => path.join(stateDir, 'alerts', 'state.json');

export function emptyStore(): AlertStoreData {
  return {
    version: 1,
    machine: { alerts: {}, silences: {} },
    queue: [],
    sent: [],
    messages: {},
    lastSnapshot: null,
    inhibited: [],
  };
}

export async function loadAlertStore(stateDir: string): Promise<AlertStoreData> {
  let text: string;
  try {
    text = await readFile(alertStateFile(stateDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyStore();
    throw err;
  }
  const v = JSON.parse(text) as Partial<AlertStoreData>;
  return { ...emptyStore(), ...v, version: 1 };
}

export async function saveAlertStore(stateDir: string, data: AlertStoreData): Promise<void> {
  const file = alertStateFile(stateDir);
  await mkdir(path.dirname(file), { recursive: true });
  const incidents = Object.keys(data.messages);
  if (incidents.length > MESSAGE_MEMORY) {
    for (const i of incidents.slice(0, incidents.length - MESSAGE_MEMORY)) delete data.messages[i];
  }
  if (data.sent.length > SENT_MEMORY) data.sent = data.sent.slice(-SENT_MEMORY);
  await writeJsonAtomic(file, data);
}

/** Queues `op` unless an op with its id is queued or was sent. */
export function enqueue(data: AlertStoreData, op: Omit<OutboundOp, 'queuedAt'>, now: number): void {
  if (data.sent.includes(op.id) || data.queue.some((q) => q.id === op.id)) return;
  data.queue.push({ ...op, queuedAt: new Date(now).toISOString() });
}

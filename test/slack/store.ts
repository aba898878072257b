/**
 * In-memory workspace state: channel messages (by channel+ts), ephemerals, views, trigger ids, uploads.
 */
import type { JsonObject, UploadRecord } from './recorder.js';

export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  thread_ts: string | undefined;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  metadata: unknown;
  files: JsonObject[] | undefined;
  edited: { user: string; ts: string } | undefined;
  deleted: boolean;
  /** Who created it: `chat.postMessage`, `response_url`, `files.completeUploadExternal`. */
  source: string;
  /** Earlier versions (before each chat.update / replace_original), oldest first. */
  history: JsonObject[];
}

export interface EphemeralMessage {
  channel: string;
  user: string | undefined;
  ts: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  source: string;
  /** Set when a later response_url post replaced or deleted it. */
  superseded: boolean;
}

export interface StoredView {
  id: string;
  type: string;
  view: JsonObject;
  hash: string;
  externalId: string | undefined;
  userId: string | undefined;
  /** Earlier versions, oldest first. */
  history: JsonObject[];
}

export interface TriggerRecord {
  issuedAt: number;
  used: boolean;
}

export class Store {
  readonly messages = new Map<string, StoredMessage>();
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views = new Map<string, StoredView>();
  readonly homeViews = new Map<string, string>();
  readonly triggers = new Map<string, TriggerRecord>();
  readonly uploads = new Map<string, UploadRecord>();
  private tsCounter = 0;
  private idCounter = 0;

  constructor(
    private readonly tsBaseSec: number,
    private readonly tsStepMicros: number,
  ) {}

  /** Unique, strictly increasing `1700000000.000100`-style ts. */
  nextTs(): string {
    this.tsCounter += 1;
    const micros = this.tsCounter * this.tsStepMicros;
    const sec = this.tsBaseSec + Math.floor(micros / 1_000_000);
    return `${sec}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}0EMU${String(this.idCounter).padStart(5, '0')}`;
  }

  static key(channel: string, ts: string): string {
    return `${channel}|${ts}`;
  }

  getMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(Store.key(channel, ts));
  }

  putMessage(m: StoredMessage): void {
    this.messages.set(Store.key(m.channel, m.ts), m);
  }

  /** Messages of a channel (or all), in ts order, deleted ones excluded unless asked. */
  listMessages(channel?: string, includeDeleted = false): StoredMessage[] {
    return [...this.messages.values()]
      .filter((m) => (channel === undefined || m.channel === channel) && (includeDeleted || !m.deleted))
      .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  }

  issueTrigger(now: number): string {
    this.idCounter += 1;
    const id = `${this.idCounter}.${Math.floor(now / 1000)}.emulatortrigger${this.idCounter}`;
    this.triggers.set(id, { issuedAt: now, used: false });
    return id;
  }
}

/** The JSON Slack returns for a stored message (`message` field of chat.postMessage, block_actions payload…). */
export function messageJson(m: StoredMessage): JsonObject {
  const out: JsonObject = {
    type: 'message',
    text: m.text ?? '',
    user: m.user,
    bot_id: m.bot_id,
    app_id: m.app_id,
    team: m.team,
    ts: m.ts,
  };
  if (m.blocks !== undefined) out.blocks = m.blocks;
  if (m.attachments !== undefined) out.attachments = m.attachments;
  if (m.thread_ts !== undefined) out.thread_ts = m.thread_ts;
  if (m.metadata !== undefined) out.metadata = m.metadata;
  if (m.files !== undefined) out.files = m.files;
  if (m.edited !== undefined) out.edited = m.edited;
  return out;
}

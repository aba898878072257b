/**
 * SlackEmulator: a loopback fake of the parts of Slack the ytm bot uses (Web API, Socket Mode, response_url,
 * file uploads), with Slack's hard limits enforced and everything recorded for assertions.
 *
 * Plain Node module (node:http + ws): usable from vitest, the benchmark and the demo sandbox.
 *
 *   const emu = await SlackEmulator.start();
 *   // bot: slackApiUrl = emu.apiUrl, token = emu.botToken, appToken = emu.appToken
 *   await emu.waitForConnection(1);
 *   const { envelopeId } = emu.pushSlashCommand({ text: 'doctor' });
 *   const ack = await emu.waitForAck(envelopeId);
 *   ...
 *   await app.stop(); await emu.stop();   // bot first (slack-testing-notes gotcha 4)
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkMessage, type LimitCheck } from './blocks-limits.js';
import {
  type BlockActionInput,
  blockActionsPayload,
  epochTs,
  eventCallbackPayload,
  type Identity,
  type SlashCommandInput,
  slashCommandPayload,
} from './envelopes.js';
import { bearerToken, parseBody, readRaw } from './http-body.js';
import {
  type ApiCall,
  brief,
  countByMethod,
  type FaultSpec,
  type JsonObject,
  type LimitViolation,
  pollUntil,
  type ResponseUrlPost,
  type UploadRecord,
} from './recorder.js';
import {
  type AckRecord,
  type ConnectionRecord,
  type DisconnectReason,
  type EnvelopeRecord,
  SocketHub,
} from './socket.js';
import { type EphemeralMessage, messageJson, Store, type StoredMessage, type StoredView } from './store.js';
import { type ChannelInfo, callMethod, type UserInfo, type WebApiEnv } from './web-api.js';

export type { BlockActionInput, SlashCommandInput } from './envelopes.js';
export type { ApiCall, FaultSpec, LimitViolation, ResponseUrlPost, UploadRecord } from './recorder.js';
export type { AckRecord, ConnectionRecord, DisconnectReason, EnvelopeRecord } from './socket.js';
export type { EphemeralMessage, StoredMessage, StoredView } from './store.js';
export type { ChannelInfo, UserInfo } from './web-api.js';

export interface SlackEmulatorOptions {
  /** Default `xoxb-emulator-bot-token`. */
  botToken?: string;
  /** Default `xapp-1-emulator-app-token`. */
  appToken?: string;
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  appId?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  /** Port on 127.0.0.1 (default 0 = ephemeral). */
  port?: number;
  /** ts = `${tsBaseSec}.${n*tsStepMicros}` (default 1700000000, 100 → `1700000000.000100`, `…000200`). */
  tsBaseSec?: number;
  tsStepMicros?: number;
  /** Total-size cap for a message's blocks JSON (default 12000). */
  maxBlocksJsonChars?: number;
  /** trigger_id lifetime (default 3000 ms, Slack's; 0 = never expires). */
  triggerTtlMs?: number;
  /** Uses allowed per response_url (default 5). */
  responseUrlMaxUses?: number;
  /** response_url lifetime (default 30 min). */
  responseUrlTtlMs?: number;
  /** Known channels; with `strictChannels`, unknown ids get `channel_not_found`. */
  channels?: Record<string, ChannelInfo>;
  strictChannels?: boolean;
  /** Known users; with `strictUsers`, unknown ids get `user_not_found`. */
  users?: Record<string, UserInfo>;
  strictUsers?: boolean;
  /** usergroup id → member user ids (`usergroups.users.list`). */
  usergroups?: Record<string, string[]>;
  /**
   * A connection counts as ready once the client pinged or sent a frame on it, or this long after `hello`
   * was flushed (default 150 ms).
   */
  readySettleMs?: number;
  /** Send server pings at this interval (default 0 = never, like the notes' fake). */
  serverPingIntervalMs?: number;
  /** Max concurrent sockets (default 10, Slack's); extra ones get `disconnect: too_many_websockets`. */
  maxConnections?: number;
}

/** Serves one extra path prefix on the emulator's port (the browser sandbox's page and API). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer) => Promise<void>;

export interface PushResult {
  envelopeId: string;
  /** Epoch ms. */
  sentAt: number;
  /** Connection index it went out on. */
  connection: number;
  responseUrl?: string;
  responseUrlId?: string;
  triggerId?: string;
}

export interface PushOptions {
  acceptsResponsePayload?: boolean;
  /** Fixed envelope id (default random UUID). */
  envelopeId?: string;
}

interface ResponseUrlContext {
  id: string;
  envelopeId: string;
  channel: string;
  user: string | undefined;
  /** The message the interaction came from (block actions). */
  messageTs: string | undefined;
  isEphemeral: boolean;
  createdAt: number;
  uses: number;
  /** Last ephemeral this url produced (slash commands), for replace_original/delete_original. */
  lastEphemeral: EphemeralMessage | undefined;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export interface FaultHandle {
  /** How many more requests this fault will hit. */
  remaining(): number;
  /** How many requests it hit so far. */
  hits(): number;
}

export class SlackEmulator {
  readonly botToken: string;
  readonly appToken: string;
  readonly teamId: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botId: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT/api/` — pass as `slackApiUrl`. */
  readonly apiUrl: string;
  readonly port: number;

  /** Every Web API request, in arrival order. */
  readonly calls: ApiCall[] = [];
  /** Every limit violation found (messages, views, response_url posts, ack payloads). */
  readonly violations: LimitViolation[] = [];
  /** Every response_url POST. */
  readonly responsePosts: ResponseUrlPost[] = [];

  private readonly store: Store;
  private readonly hub: SocketHub;
  private readonly env: WebApiEnv;
  private readonly identity: Identity;
  private readonly faults: ActiveFault[] = [];
  private readonly tickets = new Map<string, boolean>();
  private readonly responseUrls = new Map<string, ResponseUrlContext>();
  private readonly routes = new Map<string, RouteHandler>();
  private readonly changeListeners = new Set<() => void>();
  private ticketCounter = 0;
  private responseCounter = 0;
  private eventCounter = 0;
  private stopped = false;

  private constructor(
    private readonly server: Server,
    port: number,
    private readonly opts: SlackEmulatorOptions,
  ) {
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.botToken = opts.botToken ?? 'xoxb-emulator-bot-token';
    this.appToken = opts.appToken ?? 'xapp-1-emulator-app-token';
    this.teamId = opts.teamId ?? 'T0EMULATOR';
    this.appId = opts.appId ?? 'A0EMULATOR';
    this.botUserId = opts.botUserId ?? 'U0EMUBOT';
    this.botId = opts.botId ?? 'B0EMUBOT';
    const teamDomain = opts.teamDomain ?? 'ytm-emulator';
    this.identity = {
      teamId: this.teamId,
      teamDomain,
      appId: this.appId,
      botUserId: this.botUserId,
      botId: this.botId,
      verificationToken: 'emulator-verification-token',
    };
    this.store = new Store(opts.tsBaseSec ?? 1_700_000_000, opts.tsStepMicros ?? 100);
    this.hub = new SocketHub({
      readySettleMs: opts.readySettleMs ?? 150,
      serverPingIntervalMs: opts.serverPingIntervalMs ?? 0,
      maxConnections: opts.maxConnections ?? 10,
      appId: this.appId,
      consumeTicket: (t) => {
        if (this.tickets.get(t) !== true) return false;
        this.tickets.set(t, false);
        return true;
      },
    });
    this.env = {
      botToken: this.botToken,
      appToken: this.appToken,
      teamId: this.teamId,
      teamName: opts.teamName ?? 'YTM Emulator',
      teamDomain,
      appId: this.appId,
      botUserId: this.botUserId,
      botId: this.botId,
      botName: opts.botName ?? 'ytm',
      store: this.store,
      baseUrl: this.baseUrl,
      maxBlocksJsonChars: opts.maxBlocksJsonChars ?? 12_000,
      triggerTtlMs: opts.triggerTtlMs ?? 3000,
      strictChannels: opts.strictChannels ?? false,
      strictUsers: opts.strictUsers ?? false,
      channels: new Map(Object.entries(opts.channels ?? {})),
      users: new Map(Object.entries(opts.users ?? {})),
      usergroups: new Map(Object.entries(opts.usergroups ?? {})),
      now: () => Date.now(),
      violation: (method, check) => this.recordViolation(method, check),
      issueSocketUrl: () => {
        this.ticketCounter += 1;
        const ticket = String(this.ticketCounter);
        this.tickets.set(ticket, true);
        return `ws://127.0.0.1:${this.port}/link/?ticket=${ticket}`;
      },
    };
    server.on('request', (req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: 'emulator_exception', detail: String(err) }));
        }
      });
    });
    server.on('upgrade', (req, socket, head) => {
      if ((req.url ?? '').startsWith('/link')) this.hub.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  }

  /** Start listening on 127.0.0.1 (port 0 by default). */
  static async start(opts: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
    const server = createServer({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    return new SlackEmulator(server, port, opts);
  }

  /** Close sockets and the HTTP server (also idle keep-alive connections). Stop the bot first. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.hub.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---------------------------------------------------------------- extensions

  /** Serve paths starting with `prefix` (not /api/, /upload/, /response/, /link) with `handler`. */
  route(prefix: string, handler: RouteHandler): void {
    this.routes.set(prefix, handler);
  }

  /** Call `listener` after every Web API or response_url request (anything that may change messages or views). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  // ---------------------------------------------------------------- HTTP

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readRaw(req);
    const path = url.pathname;
    if (path.startsWith('/api/')) {
      await this.onApi(path.slice(5), req, res, raw, url.searchParams);
      return this.changed();
    }
    if (path.startsWith('/upload/')) return this.onUpload(decodeURIComponent(path.slice(8)), req, res, raw);
    if (path.startsWith('/response/')) {
      await this.onResponseUrl(decodeURIComponent(path.slice(10)), req, res, raw);
      return this.changed();
    }
    for (const [prefix, handler] of this.routes) if (path.startsWith(prefix)) return handler(req, res, url, raw);
    if (path === '/' || path === '/health') {
      return json(res, 200, {
        ok: true,
        emulator: 'ytm-slack-emulator',
        apiUrl: this.apiUrl,
        connections: this.hub.connections.length,
        open: this.hub.openCount(),
      });
    }
    return json(res, 404, { ok: false, error: 'not_found' });
  }

  private takeFault(method: string, body: JsonObject, apiMethod: boolean): ActiveFault | undefined {
    const f = this.faults.find(
      (x) => x.remaining > 0 && (x.method === method || (apiMethod && x.method === '*')) && (!x.when || x.when(body)),
    );
    if (f) f.remaining -= 1;
    return f;
  }

  /** Write the reply an injected fault asks for. Returns status and body sent. */
  private async sendFault(
    res: ServerResponse,
    f: ActiveFault,
  ): Promise<{ status: number; body: JsonObject | undefined } | undefined> {
    if (f.delayMs) await sleep(f.delayMs);
    if (f.status === 429) {
      const body = { ok: false, error: 'ratelimited' };
      json(res, 429, body, { 'retry-after': String(f.retryAfterSec ?? 1) });
      return { status: 429, body };
    }
    if (f.status !== undefined && f.status !== 200) {
      const body = { ok: false, error: f.error ?? 'internal_error' };
      json(res, f.status, body);
      return { status: f.status, body };
    }
    if (f.error !== undefined) {
      const body = { ok: false, error: f.error };
      json(res, 200, body);
      return { status: 200, body };
    }
    return undefined; // delay-only fault: continue normally
  }

  private async onApi(
    method: string,
    req: IncomingMessage,
    res: ServerResponse,
    raw: Buffer,
    query: URLSearchParams,
  ): Promise<void> {
    const at = Date.now();
    let parsed: Awaited<ReturnType<typeof parseBody>>;
    try {
      parsed = await parseBody(raw, req.headers['content-type'], query);
    } catch (err) {
      const body = { ok: false, error: 'invalid_json', detail: String(err) };
      this.calls.push({ method, at, body: {}, token: undefined, contentType: 'invalid', status: 200, response: body });
      return json(res, 200, body);
    }
    const token = bearerToken(req, parsed.body);
    const call: ApiCall = {
      method,
      at,
      body: parsed.body,
      token,
      contentType: parsed.kind,
      status: 200,
      response: undefined,
    };
    const fault = this.takeFault(method, parsed.body, true);
    if (fault) {
      call.fault = fault;
      const sent = await this.sendFault(res, fault);
      if (sent) {
        call.status = sent.status;
        call.response = sent.body;
        this.calls.push(call);
        return;
      }
    }
    const result = callMethod(this.env, method, parsed.body, token);
    call.status = result.status;
    call.response = result.body;
    this.calls.push(call);
    json(res, result.status, result.body, result.headers);
  }

  private async onUpload(fileId: string, req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const rec = this.store.uploads.get(fileId);
    if (!rec) return text(res, 404, 'file_not_found');
    const parsed = await parseBody(raw, req.headers['content-type'], new URLSearchParams());
    const fault = this.takeFault('upload', parsed.body, false);
    if (fault) {
      const sent = await this.sendFault(res, fault);
      if (sent) return;
    }
    const content =
      parsed.kind === 'multipart'
        ? (parsed.files.values().next().value ?? Buffer.from(String(parsed.body.body ?? '')))
        : raw;
    rec.content = content;
    rec.text = content.toString('utf8');
    rec.uploadedAt = Date.now();
    return text(res, 200, `OK - ${content.length}`);
  }

  private async onResponseUrl(id: string, req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const at = Date.now();
    let body: JsonObject = {};
    try {
      body = (await parseBody(raw, req.headers['content-type'] ?? 'application/json', new URLSearchParams())).body;
    } catch {
      body = { _raw: raw.toString('utf8') };
    }
    const ctx = this.responseUrls.get(id);
    const post: ResponseUrlPost = {
      id,
      envelopeId: ctx?.envelopeId,
      at,
      body,
      status: 200,
      use: 0,
      effect: 'rejected',
    };
    const reject = (status: number, error: string): void => {
      post.status = status;
      this.responsePosts.push(post);
      json(res, status, { ok: false, error });
    };
    if (!ctx) return reject(404, 'invalid_url');
    ctx.uses += 1;
    post.use = ctx.uses;
    const fault = this.takeFault('response_url', body, false);
    if (fault) {
      const sent = await this.sendFault(res, fault);
      if (sent) {
        post.status = sent.status;
        this.responsePosts.push(post);
        return;
      }
    }
    if (ctx.uses > (this.opts.responseUrlMaxUses ?? 5)) return reject(404, 'used_url');
    if (at - ctx.createdAt > (this.opts.responseUrlTtlMs ?? 30 * 60_000)) return reject(404, 'expired_url');
    const check = checkMessage(body, { maxBlocksJsonChars: this.env.maxBlocksJsonChars });
    if (check) {
      this.recordViolation('response_url', check);
      return reject(400, check.error);
    }
    post.effect = this.applyResponse(ctx, body);
    this.responsePosts.push(post);
    json(res, 200, { ok: true });
  }

  private applyResponse(ctx: ResponseUrlContext, body: JsonObject): ResponseUrlPost['effect'] {
    const original = ctx.messageTs !== undefined ? this.store.getMessage(ctx.channel, ctx.messageTs) : undefined;
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    const txt = typeof body.text === 'string' ? body.text : undefined;
    if (body.delete_original === true || body.delete_original === 'true') {
      if (original && !ctx.isEphemeral) original.deleted = true;
      if (ctx.lastEphemeral) ctx.lastEphemeral.superseded = true;
      return 'deleted';
    }
    if (body.replace_original === true || body.replace_original === 'true') {
      if (original && !ctx.isEphemeral) {
        original.history.push(messageJson(original));
        if (txt !== undefined) original.text = txt;
        original.blocks = blocks;
        if (Array.isArray(body.attachments)) original.attachments = body.attachments;
        original.edited = { user: this.botUserId, ts: this.store.nextTs() };
        return 'replaced';
      }
      if (ctx.lastEphemeral) ctx.lastEphemeral.superseded = true;
      ctx.lastEphemeral = this.addEphemeral(ctx, txt, blocks);
      return 'replaced';
    }
    if (body.response_type === 'in_channel') {
      const m: StoredMessage = {
        type: 'message',
        channel: ctx.channel,
        ts: this.store.nextTs(),
        text: txt,
        blocks,
        attachments: Array.isArray(body.attachments) ? body.attachments : undefined,
        thread_ts: typeof body.thread_ts === 'string' ? body.thread_ts : undefined,
        user: this.botUserId,
        bot_id: this.botId,
        app_id: this.appId,
        team: this.teamId,
        metadata: undefined,
        files: undefined,
        edited: undefined,
        deleted: false,
        source: 'response_url',
        history: [],
      };
      this.store.putMessage(m);
      return 'in_channel';
    }
    ctx.lastEphemeral = this.addEphemeral(ctx, txt, blocks);
    return 'ephemeral';
  }

  private addEphemeral(
    ctx: ResponseUrlContext,
    txt: string | undefined,
    blocks: unknown[] | undefined,
  ): EphemeralMessage {
    const e: EphemeralMessage = {
      channel: ctx.channel,
      user: ctx.user,
      ts: this.store.nextTs(),
      text: txt,
      blocks,
      source: 'response_url',
      superseded: false,
    };
    this.store.ephemerals.push(e);
    return e;
  }

  private recordViolation(method: string, check: LimitCheck): void {
    this.violations.push({ method, at: Date.now(), error: check.error, messages: check.messages });
  }

  private newResponseUrl(
    envelopeId: string,
    channel: string,
    user: string | undefined,
    messageTs: string | undefined,
    isEphemeral: boolean,
  ): { id: string; url: string } {
    this.responseCounter += 1;
    const id = `${this.responseCounter}-${randomUUID().slice(0, 8)}`;
    this.responseUrls.set(id, {
      id,
      envelopeId,
      channel,
      user,
      messageTs,
      isEphemeral,
      createdAt: Date.now(),
      uses: 0,
      lastEphemeral: undefined,
    });
    return { id, url: `${this.baseUrl}/response/${id}` };
  }

  // ---------------------------------------------------------------- Socket Mode pushes

  /** Push a `slash_commands` envelope (`/ytm` by default) on the newest open socket. */
  pushSlashCommand(input: SlashCommandInput = {}, opts: PushOptions = {}): PushResult {
    const envelopeId = opts.envelopeId ?? randomUUID();
    const channel = input.channel_id ?? 'C0EMULATOR';
    const ru = this.newResponseUrl(envelopeId, channel, input.user_id ?? 'U0EMULATOR', undefined, true);
    const triggerId = this.store.issueTrigger(Date.now());
    const payload = slashCommandPayload(this.identity, input, ru.url, triggerId);
    const frame = {
      envelope_id: envelopeId,
      type: 'slash_commands',
      accepts_response_payload: opts.acceptsResponsePayload ?? true,
      payload,
    };
    const rec = this.hub.pushEnvelope(frame, ru.id);
    return this.pushResult(rec, { responseUrl: ru.url, responseUrlId: ru.id, triggerId });
  }

  /**
   * Push an `interactive` `block_actions` envelope for a click on `action_id` in the stored message
   * `channel`/`message_ts`. `value`, `block_id`, `text` default to the stored button's.
   */
  pushBlockAction(input: BlockActionInput, opts: PushOptions = {}): PushResult {
    const envelopeId = opts.envelopeId ?? randomUUID();
    const stored = this.store.getMessage(input.channel, input.message_ts);
    const userId = typeof input.user === 'string' ? input.user : input.user.id;
    const ru = this.newResponseUrl(envelopeId, input.channel, userId, input.message_ts, input.is_ephemeral ?? false);
    const triggerId = this.store.issueTrigger(Date.now());
    this.eventCounter += 1;
    const payload = blockActionsPayload(
      this.identity,
      input,
      stored ? messageJson(stored) : undefined,
      ru.url,
      triggerId,
      epochTs(Date.now(), this.eventCounter),
    );
    const frame = {
      envelope_id: envelopeId,
      type: 'interactive',
      accepts_response_payload: opts.acceptsResponsePayload ?? false,
      payload,
    };
    const rec = this.hub.pushEnvelope(frame, ru.id);
    return this.pushResult(rec, { responseUrl: ru.url, responseUrlId: ru.id, triggerId });
  }

  /** Push an `events_api` envelope around `event` (e.g. `{type:'app_home_opened', user:'U1', tab:'home'}`). */
  pushEvent(event: JsonObject, opts: PushOptions & { eventId?: string } = {}): PushResult {
    const envelopeId = opts.envelopeId ?? randomUUID();
    this.eventCounter += 1;
    const eventId = opts.eventId ?? `Ev0EMU${String(this.eventCounter).padStart(6, '0')}`;
    const now = Date.now();
    const fullEvent: JsonObject = { event_ts: epochTs(now, this.eventCounter), ...event };
    const payload = eventCallbackPayload(this.identity, fullEvent, eventId, Math.floor(now / 1000));
    const frame = {
      envelope_id: envelopeId,
      type: 'events_api',
      accepts_response_payload: opts.acceptsResponsePayload ?? false,
      retry_attempt: 0,
      retry_reason: '',
      payload,
    };
    return this.pushResult(this.hub.pushEnvelope(frame, undefined));
  }

  /** Push any envelope type with a payload you built. */
  pushEnvelope(type: string, payload: JsonObject, opts: PushOptions = {}): PushResult {
    const envelopeId = opts.envelopeId ?? randomUUID();
    const frame = {
      envelope_id: envelopeId,
      type,
      accepts_response_payload: opts.acceptsResponsePayload ?? type === 'slash_commands',
      payload,
    };
    return this.pushResult(this.hub.pushEnvelope(frame, undefined));
  }

  /** Issue a trigger_id (for hand-built payloads that open modals). */
  issueTriggerId(): string {
    return this.store.issueTrigger(Date.now());
  }

  /** Re-send the same envelope (Slack retry). events_api envelopes get `retry_attempt`/`retry_reason`. */
  redeliver(envelopeId: string, retryReason = 'timeout'): PushResult {
    return this.pushResult(this.hub.redeliver(envelopeId, retryReason));
  }

  private pushResult(rec: EnvelopeRecord, extra: Partial<PushResult> = {}): PushResult {
    const last = rec.sends.at(-1);
    return { envelopeId: rec.envelopeId, sentAt: last?.at ?? Date.now(), connection: last?.connection ?? 0, ...extra };
  }

  /** Send `{"type":"disconnect","reason":…}` on the newest open socket (or every one with `all`). */
  disconnect(reason: DisconnectReason, opts: { all?: boolean } = {}): number[] {
    return this.hub.disconnect(reason, opts.all ?? false);
  }

  /** Terminate every socket's TCP connection (client sees 1006). */
  dropSockets(): number[] {
    return this.hub.dropSockets();
  }

  /** Server close frame on every socket (default 1001). */
  closeSockets(code = 1001, reason = 'going away'): number[] {
    return this.hub.closeSockets(code, reason);
  }

  /** Stop (false) or resume (true) answering client pings — simulates a half-dead link. */
  setPongEnabled(enabled: boolean): void {
    this.hub.pongEnabled = enabled;
  }

  // ---------------------------------------------------------------- faults

  /**
   * Make the next `times` (default 1) requests to `method` fail:
   * `{status: 429, retryAfterSec}` → HTTP 429 + Retry-After; `{status: 500}` → HTTP 500;
   * `{error: 'ratelimited'}` → 200 `{ok:false,error}`. `method` may be a Slack method, `*`, `response_url` or `upload`.
   */
  injectFault(spec: FaultSpec): FaultHandle {
    const times = spec.times ?? 1;
    const f: ActiveFault = { ...spec, remaining: times };
    this.faults.push(f);
    return { remaining: () => f.remaining, hits: () => times - f.remaining };
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  // ---------------------------------------------------------------- state & recorder

  get connections(): readonly ConnectionRecord[] {
    return this.hub.connections;
  }

  /** Sockets currently open. */
  openConnectionCount(): number {
    return this.hub.openCount();
  }

  get acks(): readonly AckRecord[] {
    return this.hub.acks;
  }

  get envelopes(): readonly EnvelopeRecord[] {
    return [...this.hub.envelopes.values()];
  }

  getEnvelope(envelopeId: string): EnvelopeRecord | undefined {
    return this.hub.envelopes.get(envelopeId);
  }

  /** Envelopes whose latest delivery has no ack yet. */
  unackedEnvelopes(): EnvelopeRecord[] {
    return this.envelopes.filter((e) => !e.acks.some((a) => a.attempt === e.sends.length));
  }

  /** Client frames that were not acks. */
  get otherFrames(): readonly { at: number; connection: number; data: unknown }[] {
    return this.hub.otherFrames;
  }

  get uploads(): UploadRecord[] {
    return [...this.store.uploads.values()];
  }

  get ephemerals(): readonly EphemeralMessage[] {
    return this.store.ephemerals;
  }

  getMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.store.getMessage(channel, ts);
  }

  /** Channel messages (or all), oldest first; deleted ones only with `includeDeleted`. */
  messages(channel?: string, includeDeleted = false): StoredMessage[] {
    return this.store.listMessages(channel, includeDeleted);
  }

  getView(viewId: string): StoredView | undefined {
    return this.store.views.get(viewId);
  }

  get views(): StoredView[] {
    return [...this.store.views.values()];
  }

  /** The App Home view published for `userId`. */
  homeView(userId: string): StoredView | undefined {
    const id = this.store.homeViews.get(userId);
    return id ? this.store.views.get(id) : undefined;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** response_url POSTs (all, or for one response_url id). */
  responses(id?: string): ResponseUrlPost[] {
    return id === undefined ? [...this.responsePosts] : this.responsePosts.filter((p) => p.id === id);
  }

  /** Throw if any Slack limit was violated (lists them). */
  assertNoViolations(): void {
    if (this.violations.length > 0) {
      throw new Error(
        `SlackEmulator: ${this.violations.length} Slack limit violation(s):\n${this.violations
          .map((v) => `  ${v.method} → ${v.error}: ${v.messages.join('; ')}`)
          .join('\n')}`,
      );
    }
  }

  /** Forget recorded calls, acks, responses and violations (state such as messages stays). */
  clearRecords(): void {
    this.calls.length = 0;
    this.violations.length = 0;
    this.responsePosts.length = 0;
    this.hub.acks.length = 0;
    this.hub.otherFrames.length = 0;
  }

  // ---------------------------------------------------------------- waits

  /** First recorded call to `method` matching `predicate` (already recorded ones count). */
  waitForCall(method: string, predicate: (c: ApiCall) => boolean = () => true, timeoutMs = 2000): Promise<ApiCall> {
    return pollUntil(
      () => this.calls.find((c) => c.method === method && predicate(c)),
      `waitForCall(${method})`,
      () => this.describeCalls(method),
      timeoutMs,
    );
  }

  /** Resolves once `count` calls to `method` (matching `predicate`) were recorded. */
  waitForCalls(
    method: string,
    count: number,
    predicate: (c: ApiCall) => boolean = () => true,
    timeoutMs = 2000,
  ): Promise<ApiCall[]> {
    return pollUntil(
      () => {
        const hits = this.calls.filter((c) => c.method === method && predicate(c));
        return hits.length >= count ? hits : undefined;
      },
      `waitForCalls(${method}, ${count})`,
      () => this.describeCalls(method),
      timeoutMs,
    );
  }

  /** Ack for the latest delivery of `envelopeId`; `latencyMs` is send → ack. Rejects on timeout. */
  waitForAck(envelopeId: string, timeoutMs = 2000): Promise<AckRecord> {
    return pollUntil(
      () => {
        const e = this.hub.envelopes.get(envelopeId);
        if (!e) return undefined;
        return e.acks.find((a) => a.attempt === e.sends.length);
      },
      `waitForAck(${envelopeId})`,
      () => {
        const e = this.hub.envelopes.get(envelopeId);
        const sent = e
          ? `envelope ${e.type} sent ${e.sends.length}× on connection(s) ${e.sends.map((s) => `#${s.connection}`).join(',')}, acks for it: ${e.acks.length}`
          : 'no such envelope';
        return `${sent}; all acks: [${this.hub.acks.map((a) => a.envelopeId.slice(0, 8)).join(', ')}]; ${this.describeConnections()}`;
      },
      timeoutMs,
    );
  }

  /** Wait until the n-th (1-based) Socket Mode connection is up (hello sent and client seen alive). */
  waitForConnection(n: number, timeoutMs = 5000): Promise<ConnectionRecord> {
    return pollUntil(
      () => {
        const c = this.hub.connections[n - 1];
        return c?.readyAt !== undefined ? c : undefined;
      },
      `waitForConnection(#${n})`,
      () =>
        `${this.describeConnections()}; apps.connections.open calls: ${this.callsTo('apps.connections.open').length}`,
      timeoutMs,
    );
  }

  /** Wait until the n-th connection has closed. */
  waitForClose(n: number, timeoutMs = 5000): Promise<ConnectionRecord> {
    return pollUntil(
      () => {
        const c = this.hub.connections[n - 1];
        return c?.closedAt !== undefined ? c : undefined;
      },
      `waitForClose(#${n})`,
      () => this.describeConnections(),
      timeoutMs,
    );
  }

  /** First response_url POST matching `predicate`. */
  waitForResponse(predicate: (p: ResponseUrlPost) => boolean = () => true, timeoutMs = 2000): Promise<ResponseUrlPost> {
    return pollUntil(
      () => this.responsePosts.find(predicate),
      'waitForResponse',
      () =>
        this.responsePosts.length === 0
          ? '(no response_url posts)'
          : this.responsePosts.map((p) => `${p.id}#${p.use} ${p.status} ${brief(p.body, 100)}`).join(' | '),
      timeoutMs,
    );
  }

  /** First completed upload matching `predicate`. */
  waitForUpload(predicate: (u: UploadRecord) => boolean = () => true, timeoutMs = 2000): Promise<UploadRecord> {
    return pollUntil(
      () => this.uploads.find((u) => u.completed && predicate(u)),
      'waitForUpload',
      () => this.uploads.map((u) => `${u.fileId} ${u.filename} completed=${u.completed}`).join(' | ') || '(no uploads)',
      timeoutMs,
    );
  }

  private describeCalls(method: string): string {
    const same = this.calls.filter((c) => c.method === method);
    const detail = same
      .slice(-5)
      .map((c) => `${brief(c.body, 120)} → ${brief(c.response, 80)}`)
      .join(' | ');
    return `${countByMethod(this.calls)}${same.length ? `; last ${method}: ${detail}` : ''}`;
  }

  private describeConnections(): string {
    const list = this.hub.connections
      .map(
        (c) =>
          `#${c.index}:${c.closedAt !== undefined ? `closed(${c.closeCode})` : c.readyAt !== undefined ? `ready(${c.readyReason})` : 'opening'}`,
      )
      .join(', ');
    return `connections: ${list || 'none'}`;
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Socket Mode side: the `/link/` WebSocket server, connection bookkeeping, envelopes and acks.
 */
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { JsonObject } from './recorder.js';

export type DisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled' | 'too_many_websockets';

export interface ConnectionRecord {
  /** 1-based, in order of connection. */
  index: number;
  ticket: string;
  openedAt: number;
  /** When the `hello` frame was flushed. */
  helloSentAt: number | undefined;
  /**
   * When the client is known to be up on this socket: its first ping or frame arrived, or
   * `readySettleMs` passed after `hello` was flushed (whichever first). See {@link readyReason}.
   */
  readyAt: number | undefined;
  readyReason: 'ping' | 'frame' | 'settle' | undefined;
  closedAt: number | undefined;
  /** Close code seen by the server: 1000 client close, 1006 dropped/terminated… */
  closeCode: number | undefined;
  closeReason: string | undefined;
  pingsReceived: number;
  framesReceived: number;
  /** `disconnect` reasons sent on this socket. */
  disconnectsSent: string[];
}

export interface EnvelopeSend {
  at: number;
  perf: number;
  connection: number;
}

export interface AckRecord {
  envelopeId: string;
  /** `payload` of the ack frame (`{}` for a bare `ack()`). */
  payload: JsonObject;
  at: number;
  connection: number;
  /** Time from the latest send of the envelope (before this ack) to the ack. */
  latencyMs: number;
  /** 1-based delivery attempt that this ack answers. */
  attempt: number;
}

export interface EnvelopeRecord {
  envelopeId: string;
  type: string;
  /** The full frame as sent (envelope_id, type, accepts_response_payload, payload, retry fields). */
  frame: JsonObject;
  sends: EnvelopeSend[];
  acks: AckRecord[];
  /** response_url id (if the payload has one). */
  responseUrlId: string | undefined;
}

export interface SocketHubOptions {
  readySettleMs: number;
  serverPingIntervalMs: number;
  maxConnections: number;
  appId: string;
  /** Returns true if the ticket is valid (and consumes it). */
  consumeTicket: (ticket: string) => boolean;
  /** Called with each ack as it is recorded. */
  onAck?: (ack: AckRecord) => void;
}

interface Live {
  ws: WebSocket;
  rec: ConnectionRecord;
  timers: NodeJS.Timeout[];
}

export class SocketHub {
  readonly connections: ConnectionRecord[] = [];
  readonly envelopes = new Map<string, EnvelopeRecord>();
  readonly acks: AckRecord[] = [];
  /** Client frames that were not acks (parsed JSON or raw text). */
  readonly otherFrames: { at: number; connection: number; data: unknown }[] = [];
  private readonly live: Live[] = [];
  private readonly wss: WebSocketServer;
  /** When false the emulator stops answering client pings (simulates a dead link). */
  pongEnabled = true;

  constructor(private readonly opts: SocketHubOptions) {
    this.wss = new WebSocketServer({ noServer: true, autoPong: false });
  }

  /** Handle an HTTP upgrade for `/link/?ticket=N`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.opts.consumeTicket(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, ticket));
  }

  private onConnection(ws: WebSocket, ticket: string): void {
    const rec: ConnectionRecord = {
      index: this.connections.length + 1,
      ticket,
      openedAt: Date.now(),
      helloSentAt: undefined,
      readyAt: undefined,
      readyReason: undefined,
      closedAt: undefined,
      closeCode: undefined,
      closeReason: undefined,
      pingsReceived: 0,
      framesReceived: 0,
      disconnectsSent: [],
    };
    this.connections.push(rec);
    const live: Live = { ws, rec, timers: [] };
    this.live.push(live);
    const markReady = (reason: 'ping' | 'frame' | 'settle'): void => {
      if (rec.readyAt === undefined && rec.helloSentAt !== undefined) {
        rec.readyAt = Date.now();
        rec.readyReason = reason;
      }
    };
    ws.on('ping', (data) => {
      rec.pingsReceived += 1;
      markReady('ping');
      if (this.pongEnabled && ws.readyState === WebSocket.OPEN) ws.pong(data);
    });
    ws.on('message', (data, isBinary) => {
      rec.framesReceived += 1;
      markReady('frame');
      const text = isBinary ? undefined : data.toString();
      let parsed: unknown = text;
      try {
        if (text !== undefined) parsed = JSON.parse(text);
      } catch {
        // keep raw text
      }
      if (typeof parsed === 'object' && parsed !== null && typeof (parsed as JsonObject).envelope_id === 'string') {
        this.recordAck(parsed as JsonObject, rec.index);
      } else {
        this.otherFrames.push({ at: Date.now(), connection: rec.index, data: parsed });
      }
    });
    ws.on('close', (code, reason) => {
      rec.closedAt = Date.now();
      rec.closeCode = code;
      rec.closeReason = reason.toString();
      for (const t of live.timers) clearTimeout(t);
      const i = this.live.indexOf(live);
      if (i >= 0) this.live.splice(i, 1);
    });
    ws.on('error', () => {
      // 'close' follows; nothing else to do
    });
    const open = this.live.filter((l) => l.ws.readyState === WebSocket.OPEN).length;
    if (open > this.opts.maxConnections) {
      rec.disconnectsSent.push('too_many_websockets');
      ws.send(
        JSON.stringify({ type: 'disconnect', reason: 'too_many_websockets', debug_info: { host: 'applink-emulator' } }),
      );
      return;
    }
    const hello = {
      type: 'hello',
      num_connections: open,
      debug_info: { host: 'applink-emulator-1', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: this.opts.appId },
    };
    ws.send(JSON.stringify(hello), (err) => {
      if (err) return;
      rec.helloSentAt = Date.now();
      live.timers.push(setTimeout(() => markReady('settle'), this.opts.readySettleMs));
    });
    if (this.opts.serverPingIntervalMs > 0) {
      const ping = (): void => {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.ping(Buffer.from(`ping-${Date.now()}`));
        live.timers.push(setTimeout(ping, this.opts.serverPingIntervalMs));
      };
      live.timers.push(setTimeout(ping, this.opts.serverPingIntervalMs));
    }
  }

  private recordAck(frame: JsonObject, connection: number): void {
    const envelopeId = frame.envelope_id as string;
    const env = this.envelopes.get(envelopeId);
    const now = performance.now();
    const lastSend = env?.sends.at(-1);
    const payload =
      typeof frame.payload === 'object' && frame.payload !== null ? (frame.payload as JsonObject) : ({} as JsonObject);
    const ack: AckRecord = {
      envelopeId,
      payload,
      at: Date.now(),
      connection,
      latencyMs: lastSend ? now - lastSend.perf : Number.NaN,
      attempt: env ? env.sends.length : 0,
    };
    env?.acks.push(ack);
    this.acks.push(ack);
    this.opts.onAck?.(ack);
  }

  /** Open sockets, newest first. */
  private openLive(): Live[] {
    return this.live.filter((l) => l.ws.readyState === WebSocket.OPEN && l.rec.helloSentAt !== undefined).reverse();
  }

  openCount(): number {
    return this.live.filter((l) => l.ws.readyState === WebSocket.OPEN).length;
  }

  /** Send a frame on the newest open socket. Throws when there is none (Slack would hold it; the emulator does not). */
  sendFrame(frame: JsonObject): EnvelopeSend {
    const target = this.openLive()[0];
    if (!target) {
      const states = this.connections
        .map((c) => `#${c.index}:${c.closedAt ? `closed(${c.closeCode})` : c.readyAt ? 'ready' : 'opening'}`)
        .join(', ');
      throw new Error(
        `SlackEmulator: no open Socket Mode connection to push ${String(frame.type)} on (connections: ${states || 'none'}). ` +
          'Call waitForConnection(n) first.',
      );
    }
    const send: EnvelopeSend = { at: Date.now(), perf: performance.now(), connection: target.rec.index };
    target.ws.send(JSON.stringify(frame));
    return send;
  }

  pushEnvelope(frame: JsonObject, responseUrlId: string | undefined): EnvelopeRecord {
    const envelopeId = frame.envelope_id as string;
    const record: EnvelopeRecord = {
      envelopeId,
      type: String(frame.type),
      frame,
      sends: [],
      acks: [],
      responseUrlId,
    };
    this.envelopes.set(envelopeId, record);
    record.sends.push(this.sendFrame(frame));
    return record;
  }

  redeliver(envelopeId: string, retryReason: string): EnvelopeRecord {
    const record = this.envelopes.get(envelopeId);
    if (!record) throw new Error(`SlackEmulator.redeliver: unknown envelope ${envelopeId}`);
    if (record.type === 'events_api') {
      record.frame = { ...record.frame, retry_attempt: record.sends.length, retry_reason: retryReason };
    }
    record.sends.push(this.sendFrame(record.frame));
    return record;
  }

  /** Send `{"type":"disconnect","reason":…}` on the newest open socket (or all). Returns the connection indexes. */
  disconnect(reason: DisconnectReason, all = false): number[] {
    const targets = all ? this.openLive() : this.openLive().slice(0, 1);
    if (targets.length === 0) throw new Error('SlackEmulator.disconnect: no open Socket Mode connection');
    for (const t of targets) {
      t.rec.disconnectsSent.push(reason);
      t.ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-emulator-1' } }));
    }
    return targets.map((t) => t.rec.index);
  }

  /** Server-initiated close frame (default 1001 going away). */
  closeSockets(code = 1001, reason = 'going away'): number[] {
    const targets = [...this.live];
    for (const t of targets) t.ws.close(code, reason);
    return targets.map((t) => t.rec.index);
  }

  /** Kill the TCP connections without a close frame (the client sees 1006). */
  dropSockets(): number[] {
    const targets = [...this.live];
    for (const t of targets) t.ws.terminate();
    return targets.map((t) => t.rec.index);
  }

  stop(): Promise<void> {
    for (const l of [...this.live]) {
      for (const t of l.timers) clearTimeout(t);
      l.ws.terminate();
    }
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}

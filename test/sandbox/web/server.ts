// The browser sandbox's side of the emulator's port: the page, its scripts, a server-sent event stream of the
// channels' state, and the small JSON API the page calls (type a command, press a button, open App Home, flip a
// fault). Only 127.0.0.1 serves it; a request whose Host is another name (DNS rebinding) or a POST that is not
// JSON (a cross-site form can send text/plain without a preflight) is refused.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { compiledEntry } from '../../../lib/guard/entry.js';
import type { SlackEmulator } from '../../slack/emulator.js';
import { BLOCKKIT_CSS } from './blockkit-css.js';
import type { SandboxFaults } from './faults.js';
import { PAGE_CSS, PAGE_HTML } from './page.js';
import {
  DISK_FAULTS,
  type DiskFault,
  DRAFT_FAULTS,
  type DraftFault,
  type PageState,
  type SandboxChannel,
  SHARE_FAULTS,
  type ShareFault,
} from './page-state.js';
import { SandboxTimeline } from './timeline.js';

export interface SandboxWebOptions {
  user: { id: string; name: string };
  /** The command channel first, then the alert channel. */
  channels: [SandboxChannel, SandboxChannel];
  faults: SandboxFaults;
}

/** Where the page's compiled scripts are (dist/test/sandbox/web). */
const SCRIPT_ROOT = path.dirname(compiledEntry('test/sandbox/web/server.js'));

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

function bodyOf(req: IncomingMessage, raw: Buffer): Record<string, unknown> | undefined {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return undefined;
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export interface SandboxWeb {
  url: string;
  timeline: SandboxTimeline;
  close(): void;
}

export function attachSandboxWeb(emu: SlackEmulator, opts: SandboxWebOptions): SandboxWeb {
  const [ops] = opts.channels;
  const timeline = new SandboxTimeline(
    emu,
    opts.channels.map((c) => c.id),
  );
  const clients = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  let lastStatus = '';

  const snapshot = (): PageState => ({
    user: opts.user,
    channels: opts.channels,
    items: timeline.items(),
    home: (emu.homeView(opts.user.id)?.view.blocks as unknown[] | undefined) ?? null,
    faults: opts.faults.state(),
    bot: { connected: emu.openConnectionCount() > 0 },
  });
  const broadcast = () => {
    pending = undefined;
    const frame = `event: state\ndata: ${JSON.stringify(snapshot())}\n\n`;
    for (const c of clients) c.write(frame);
  };
  // Several API calls in a row (a card posted, then edited) reach the page as one update.
  const soon = () => {
    timeline.items();
    pending ??= setTimeout(broadcast, 30);
  };
  const offChange = emu.onChange(soon);
  // The bot's connection and the faults change without any Slack call: look once a second.
  const watch = setInterval(() => {
    const status = JSON.stringify([emu.openConnectionCount() > 0, opts.faults.state()]);
    if (status !== lastStatus) soon();
    lastStatus = status;
    for (const c of clients) c.write(': keep-alive\n\n');
  }, 1000);
  watch.unref();

  async function command(body: Record<string, unknown>): Promise<unknown> {
    const text = (str(body.text) ?? '').trim().replace(/^\/ytm\b\s*/, '');
    timeline.add({ kind: 'command', channel: ops.id, text: `/ytm ${text}`.trim() });
    soon();
    const { envelopeId } = emu.pushSlashCommand({
      command: '/ytm',
      text,
      user_id: opts.user.id,
      user_name: opts.user.name,
      channel_id: ops.id,
      channel_name: ops.name,
    });
    const ack = await emu.waitForAck(envelopeId, 10_000);
    const reply = ack.payload as { text?: unknown; blocks?: unknown };
    if (typeof reply.text === 'string' || Array.isArray(reply.blocks)) {
      timeline.add({
        kind: 'ephemeral',
        channel: ops.id,
        text: typeof reply.text === 'string' ? reply.text : '',
        ...(Array.isArray(reply.blocks) ? { blocks: reply.blocks } : {}),
      });
      soon();
    }
    return { ok: true, ackMs: Math.round(ack.latencyMs) };
  }

  async function action(body: Record<string, unknown>): Promise<unknown> {
    const item = timeline.find(str(body.key) ?? '');
    const actionId = str(body.actionId);
    if (!item?.ts || !actionId) return { ok: false, error: 'no such message or button' };
    const ephemeral = item.kind === 'ephemeral';
    const { envelopeId } = emu.pushBlockAction({
      user: opts.user.id,
      channel: item.channel,
      message_ts: item.ts,
      action_id: actionId,
      ...(str(body.value) !== undefined ? { value: str(body.value) } : {}),
      ...(str(body.blockId) !== undefined ? { block_id: str(body.blockId) } : {}),
      ...(ephemeral
        ? { is_ephemeral: true, message: { type: 'message', ts: item.ts, text: item.text, blocks: item.blocks ?? [] } }
        : {}),
    });
    await emu.waitForAck(envelopeId, 10_000);
    return { ok: true };
  }

  async function fault(body: Record<string, unknown>): Promise<unknown> {
    const kind = str(body.kind);
    const value = str(body.value) ?? '';
    const f = opts.faults;
    if (kind === 'share' && (SHARE_FAULTS as readonly string[]).includes(value)) await f.setShare(value as ShareFault);
    else if (kind === 'disk' && (DISK_FAULTS as readonly string[]).includes(value)) await f.setDisk(value as DiskFault);
    else if (kind === 'draft' && (DRAFT_FAULTS as readonly string[]).includes(value))
      await f.setDraft(value as DraftFault);
    else return { ok: false, error: `unknown fault ${kind}=${value}` };
    soon();
    return { ok: true, faults: f.state() };
  }

  const posts: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    '/sandbox/api/command': command,
    '/sandbox/api/action': action,
    '/sandbox/api/fault': fault,
    '/sandbox/api/home': async () => {
      emu.pushEvent({ type: 'app_home_opened', user: opts.user.id, tab: 'home', channel: 'D0SANDBOX' });
      return { ok: true };
    },
  };

  emu.route('/sandbox', async (req, res, url, raw) => {
    if (req.headers.host !== `127.0.0.1:${emu.port}` && req.headers.host !== `localhost:${emu.port}`) {
      return send(res, 421, 'text/plain', 'the sandbox answers on 127.0.0.1 only\n');
    }
    const p = url.pathname;
    if (req.method === 'POST') {
      const handler = posts[p];
      const body = bodyOf(req, raw);
      if (!handler) return json(res, 404, { ok: false, error: 'not_found' });
      if (!body) return json(res, 415, { ok: false, error: 'send a JSON object (content-type: application/json)' });
      try {
        return json(res, 200, await handler(body));
      } catch (err) {
        return json(res, 500, { ok: false, error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (p === '/sandbox' || p === '/sandbox/') return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML);
    if (p === '/sandbox/style.css') return send(res, 200, 'text/css; charset=utf-8', PAGE_CSS + BLOCKKIT_CSS);
    if (p === '/sandbox/api/state') return json(res, 200, snapshot());
    if (p === '/sandbox/favicon.ico') return send(res, 204, 'image/x-icon', '');
    const script = path.resolve(SCRIPT_ROOT, `.${p.slice('/sandbox/js'.length)}`);
    if (p.startsWith('/sandbox/js/') && script.startsWith(`${SCRIPT_ROOT}${path.sep}`) && script.endsWith('.js')) {
      const file = await readFile(script, 'utf8').catch(() => undefined);
      if (file !== undefined) return send(res, 200, 'text/javascript; charset=utf-8', file);
    }
    if (p === '/sandbox/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(`event: state\ndata: ${JSON.stringify(snapshot())}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    return send(res, 404, 'text/plain', 'not found\n');
  });

  return {
    url: `${emu.baseUrl}/sandbox/`,
    timeline,
    close() {
      offChange();
      clearInterval(watch);
      if (pending) clearTimeout(pending);
      for (const c of clients) c.end();
      clients.clear();
    },
  };
}

/**
 * Web API method handlers (`/api/<method>`): token rules, message store, views, uploads, lookups.
 * Pure functions over a {@link WebApiEnv}; the HTTP plumbing lives in emulator.ts.
 */
import { checkMessage, checkView, type LimitCheck } from './blocks-limits.js';
import type { JsonObject } from './recorder.js';
import { messageJson, type Store, type StoredMessage, type StoredView } from './store.js';

export interface ChannelInfo {
  name?: string;
  is_private?: boolean;
  /** Whether the bot is a member (default true). A private channel without the bot → `not_in_channel`. */
  is_member?: boolean;
  is_archived?: boolean;
}

export interface UserInfo {
  name?: string;
  real_name?: string;
  display_name?: string;
  tz?: string;
  is_bot?: boolean;
  deleted?: boolean;
  is_admin?: boolean;
}

export interface WebApiEnv {
  botToken: string;
  appToken: string;
  teamId: string;
  teamName: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  botId: string;
  botName: string;
  store: Store;
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  maxBlocksJsonChars: number;
  /** trigger_id lifetime (ms); 0 disables the expiry check. */
  triggerTtlMs: number;
  /** Unknown channel ids → `channel_not_found` (default: any id is accepted). */
  strictChannels: boolean;
  /** Unknown user ids → `user_not_found` (default: any id is accepted). */
  strictUsers: boolean;
  channels: Map<string, ChannelInfo>;
  users: Map<string, UserInfo>;
  usergroups: Map<string, string[]>;
  now: () => number;
  /** Record a limit violation (the caller also replies with the error). */
  violation: (method: string, check: LimitCheck) => void;
  /** Issue a single-use Socket Mode URL. */
  issueSocketUrl: () => string;
}

export interface MethodResult {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

const APP_TOKEN_METHODS = new Set(['apps.connections.open']);

function ok(body: JsonObject = {}): MethodResult {
  return { status: 200, body: { ok: true, ...body } };
}

function fail(error: string, extra: JsonObject = {}): MethodResult {
  return { status: 200, body: { ok: false, error, ...extra } };
}

function limitFail(env: WebApiEnv, method: string, check: LimitCheck): MethodResult {
  env.violation(method, check);
  return fail(check.error, { response_metadata: { messages: check.messages } });
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function optionalArray(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  return undefined;
}

/** Token rules: xapp only for apps.connections.open, xoxb for the rest. */
export function checkToken(env: WebApiEnv, method: string, token: string | undefined): MethodResult | undefined {
  if (token === undefined || token === '') return fail('not_authed');
  const wantsApp = APP_TOKEN_METHODS.has(method);
  const isApp = token.startsWith('xapp-');
  if (wantsApp !== isApp) {
    if (token === env.appToken || token === env.botToken || /^xox[bpe]-/.test(token) || isApp) {
      return fail('not_allowed_token_type');
    }
    return fail('invalid_auth');
  }
  const expected = wantsApp ? env.appToken : env.botToken;
  if (token !== expected) return fail('invalid_auth');
  return undefined;
}

function resolveChannel(env: WebApiEnv, raw: unknown): { channel?: string; error?: MethodResult } {
  const channel = str(raw);
  if (channel === undefined || channel === '') return { error: fail('channel_not_found') };
  // A user id as channel posts to the DM with that user (the id conversations.open returns).
  const id = /^[UW]/.test(channel) ? `D${channel}` : channel;
  const info = env.channels.get(id);
  if (info === undefined && env.strictChannels && !id.startsWith('D')) return { error: fail('channel_not_found') };
  if (info?.is_archived) return { error: fail('is_archived') };
  if (info?.is_private && info.is_member === false) return { error: fail('not_in_channel') };
  return { channel: id };
}

function channelJson(env: WebApiEnv, id: string): JsonObject {
  const info = env.channels.get(id) ?? {};
  const isIm = id.startsWith('D');
  return {
    id,
    name: info.name ?? id.toLowerCase(),
    is_channel: !isIm && !info.is_private,
    is_group: false,
    is_im: isIm,
    is_private: info.is_private ?? isIm,
    is_archived: info.is_archived ?? false,
    is_member: info.is_member ?? true,
    context_team_id: env.teamId,
    created: 1_700_000_000,
  };
}

function userJson(env: WebApiEnv, id: string, u: UserInfo): JsonObject {
  const name = u.name ?? id.toLowerCase();
  return {
    id,
    team_id: env.teamId,
    name,
    real_name: u.real_name ?? name,
    deleted: u.deleted ?? false,
    is_bot: u.is_bot ?? false,
    is_admin: u.is_admin ?? false,
    tz: u.tz ?? 'Europe/Berlin',
    profile: { real_name: u.real_name ?? name, display_name: u.display_name ?? name },
  };
}

function postMessage(env: WebApiEnv, method: string, body: JsonObject): MethodResult {
  const target = resolveChannel(env, body.channel);
  if (target.error) return target.error;
  const channel = target.channel as string;
  const text = str(body.text);
  const blocks = optionalArray(body.blocks);
  const attachments = optionalArray(body.attachments);
  if ((text === undefined || text === '') && !blocks?.length && !attachments?.length) return fail('no_text');
  const check = checkMessage(body, { maxBlocksJsonChars: env.maxBlocksJsonChars });
  if (check) return limitFail(env, method, check);
  const threadTs = str(body.thread_ts);
  const m: StoredMessage = {
    type: 'message',
    channel,
    ts: env.store.nextTs(),
    text,
    blocks,
    attachments,
    thread_ts: threadTs,
    user: env.botUserId,
    bot_id: env.botId,
    app_id: env.appId,
    team: env.teamId,
    metadata: body.metadata,
    files: undefined,
    edited: undefined,
    deleted: false,
    source: method,
    history: [],
  };
  env.store.putMessage(m);
  return ok({ channel, ts: m.ts, message: messageJson(m) });
}

function updateMessage(env: WebApiEnv, method: string, body: JsonObject): MethodResult {
  const target = resolveChannel(env, body.channel);
  if (target.error) return target.error;
  const channel = target.channel as string;
  const ts = str(body.ts);
  if (ts === undefined) return fail('message_not_found');
  const m = env.store.getMessage(channel, ts);
  if (!m || m.deleted) return fail('message_not_found');
  if (m.user !== env.botUserId) return fail('cant_update_message');
  const check = checkMessage(body, { maxBlocksJsonChars: env.maxBlocksJsonChars });
  if (check) return limitFail(env, method, check);
  m.history.push(messageJson(m));
  if (body.text !== undefined) m.text = str(body.text);
  if (body.blocks !== undefined) m.blocks = optionalArray(body.blocks) ?? [];
  if (body.attachments !== undefined) m.attachments = optionalArray(body.attachments) ?? [];
  if (body.metadata !== undefined) m.metadata = body.metadata;
  m.edited = { user: env.botUserId, ts: env.store.nextTs() };
  return ok({ channel, ts, text: m.text ?? '', message: messageJson(m) });
}

function deleteMessage(env: WebApiEnv, body: JsonObject): MethodResult {
  const target = resolveChannel(env, body.channel);
  if (target.error) return target.error;
  const channel = target.channel as string;
  const ts = str(body.ts) ?? '';
  const m = env.store.getMessage(channel, ts);
  if (!m || m.deleted) return fail('message_not_found');
  if (m.user !== env.botUserId) return fail('cant_delete_message');
  m.deleted = true;
  return ok({ channel, ts });
}

function postEphemeral(env: WebApiEnv, method: string, body: JsonObject): MethodResult {
  const target = resolveChannel(env, body.channel);
  if (target.error) return target.error;
  const user = str(body.user);
  if (user === undefined || user === '') return fail('user_not_found');
  const blocks = optionalArray(body.blocks);
  const text = str(body.text);
  if ((text === undefined || text === '') && !blocks?.length && !optionalArray(body.attachments)?.length) {
    return fail('no_text');
  }
  const check = checkMessage(body, { maxBlocksJsonChars: env.maxBlocksJsonChars });
  if (check) return limitFail(env, method, check);
  const ts = env.store.nextTs();
  env.store.ephemerals.push({
    channel: target.channel as string,
    user,
    ts,
    text,
    blocks,
    source: method,
    superseded: false,
  });
  return ok({ message_ts: ts });
}

function useTrigger(env: WebApiEnv, body: JsonObject): MethodResult | undefined {
  const triggerId = str(body.trigger_id);
  if (triggerId === undefined) return fail('invalid_arguments', { response_metadata: { messages: ['trigger_id'] } });
  const t = env.store.triggers.get(triggerId);
  if (!t) return fail('invalid_trigger_id');
  if (t.used) return fail('exchanged_trigger_id');
  if (env.triggerTtlMs > 0 && env.now() - t.issuedAt > env.triggerTtlMs) return fail('expired_trigger_id');
  t.used = true;
  return undefined;
}

function viewJson(env: WebApiEnv, v: StoredView): JsonObject {
  return {
    ...v.view,
    id: v.id,
    team_id: env.teamId,
    type: v.type,
    state: { values: {} },
    hash: v.hash,
    app_id: env.appId,
    bot_id: env.botId,
    root_view_id: v.id,
    previous_view_id: null,
    external_id: v.externalId ?? '',
  };
}

let hashCounter = 0;
function newHash(now: number): string {
  hashCounter += 1;
  return `${Math.floor(now / 1000)}.emu${hashCounter}`;
}

function openView(env: WebApiEnv, method: string, body: JsonObject): MethodResult {
  const triggerFail = useTrigger(env, body);
  if (triggerFail) return triggerFail;
  const check = checkView(body.view);
  if (check) return limitFail(env, method, check);
  const view = body.view as JsonObject;
  const v: StoredView = {
    id: env.store.nextId('V'),
    type: String(view.type),
    view,
    hash: newHash(env.now()),
    externalId: str(view.external_id),
    userId: undefined,
    history: [],
  };
  env.store.views.set(v.id, v);
  return ok({ view: viewJson(env, v) });
}

function updateView(env: WebApiEnv, method: string, body: JsonObject): MethodResult {
  const viewId = str(body.view_id);
  const externalId = str(body.external_id);
  let v: StoredView | undefined;
  if (viewId !== undefined) v = env.store.views.get(viewId);
  else if (externalId !== undefined) v = [...env.store.views.values()].find((x) => x.externalId === externalId);
  else return fail('invalid_arguments', { response_metadata: { messages: ['view_id or external_id required'] } });
  if (!v) return fail('not_found');
  const hash = str(body.hash);
  if (hash !== undefined && hash !== v.hash) return fail('hash_conflict');
  const check = checkView(body.view);
  if (check) return limitFail(env, method, check);
  v.history.push(viewJson(env, v));
  v.view = body.view as JsonObject;
  v.type = String(v.view.type);
  v.hash = newHash(env.now());
  return ok({ view: viewJson(env, v) });
}

function publishView(env: WebApiEnv, method: string, body: JsonObject): MethodResult {
  const userId = str(body.user_id);
  if (userId === undefined) return fail('invalid_arguments', { response_metadata: { messages: ['user_id'] } });
  const check = checkView(body.view);
  if (check) return limitFail(env, method, check);
  const view = body.view as JsonObject;
  if (view.type !== 'home')
    return fail('invalid_arguments', { response_metadata: { messages: ['type must be home'] } });
  const existingId = env.store.homeViews.get(userId);
  const existing = existingId ? env.store.views.get(existingId) : undefined;
  if (existing) {
    const hash = str(body.hash);
    if (hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
    existing.history.push(viewJson(env, existing));
    existing.view = view;
    existing.hash = newHash(env.now());
    return ok({ view: viewJson(env, existing) });
  }
  const v: StoredView = {
    id: env.store.nextId('V'),
    type: 'home',
    view,
    hash: newHash(env.now()),
    externalId: undefined,
    userId,
    history: [],
  };
  env.store.views.set(v.id, v);
  env.store.homeViews.set(userId, v.id);
  return ok({ view: viewJson(env, v) });
}

function getUploadUrl(env: WebApiEnv, body: JsonObject): MethodResult {
  const filename = str(body.filename);
  const length = Number(body.length);
  if (!filename || !Number.isFinite(length) || length < 0) {
    return fail('invalid_arguments', { response_metadata: { messages: ['filename and length are required'] } });
  }
  const fileId = env.store.nextId('F');
  env.store.uploads.set(fileId, {
    fileId,
    filename,
    declaredLength: length,
    content: undefined,
    text: undefined,
    uploadedAt: undefined,
    completed: false,
    title: undefined,
    channelId: undefined,
    initialComment: undefined,
    threadTs: undefined,
  });
  return ok({ upload_url: `${env.baseUrl}/upload/${fileId}`, file_id: fileId });
}

function completeUpload(env: WebApiEnv, body: JsonObject): MethodResult {
  const files = optionalArray(body.files);
  if (!files?.length) return fail('invalid_arguments', { response_metadata: { messages: ['files'] } });
  const channelId = str(body.channel_id) ?? (str(body.channels)?.split(',')[0] || undefined);
  const out: JsonObject[] = [];
  for (const f of files) {
    const fileId = str((f as JsonObject | null)?.id);
    const rec = fileId ? env.store.uploads.get(fileId) : undefined;
    if (!rec || rec.content === undefined) return fail('file_not_found');
    rec.completed = true;
    rec.title = str((f as JsonObject).title) ?? rec.filename;
    rec.channelId = channelId;
    rec.initialComment = str(body.initial_comment);
    rec.threadTs = str(body.thread_ts);
    out.push({
      id: rec.fileId,
      name: rec.filename,
      title: rec.title,
      size: rec.content.length,
      permalink: `https://${env.teamDomain}.slack.com/files/${env.botUserId}/${rec.fileId}/${rec.filename}`,
    });
  }
  if (channelId !== undefined) {
    const target = resolveChannel(env, channelId);
    if (target.error) return target.error;
    env.store.putMessage({
      type: 'message',
      channel: target.channel as string,
      ts: env.store.nextTs(),
      text: str(body.initial_comment) ?? '',
      blocks: undefined,
      attachments: undefined,
      thread_ts: str(body.thread_ts),
      user: env.botUserId,
      bot_id: env.botId,
      app_id: env.appId,
      team: env.teamId,
      metadata: undefined,
      files: out,
      edited: undefined,
      deleted: false,
      source: 'files.completeUploadExternal',
      history: [],
    });
  }
  return ok({ files: out });
}

/** Dispatch one Web API method. Token checks included; faults are applied by the caller. */
export function callMethod(env: WebApiEnv, method: string, body: JsonObject, token: string | undefined): MethodResult {
  const known = HANDLERS[method];
  if (!known) return fail('unknown_method', { req_method: method });
  const tokenFail = checkToken(env, method, token);
  if (tokenFail) return tokenFail;
  return known(env, method, body);
}

type Handler = (env: WebApiEnv, method: string, body: JsonObject) => MethodResult;

const HANDLERS: Record<string, Handler> = {
  'api.test': (_env, _m, body) => ok({ args: body }),
  'auth.test': (env) =>
    ok({
      url: `https://${env.teamDomain}.slack.com/`,
      team: env.teamName,
      user: env.botName,
      team_id: env.teamId,
      user_id: env.botUserId,
      bot_id: env.botId,
      is_enterprise_install: false,
    }),
  'apps.connections.open': (env) => ok({ url: env.issueSocketUrl() }),
  'chat.postMessage': postMessage,
  'chat.update': updateMessage,
  'chat.delete': (env, _m, body) => deleteMessage(env, body),
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': (env, _m, body) => {
    const target = resolveChannel(env, body.channel);
    if (target.error) return target.error;
    const ts = str(body.message_ts) ?? '';
    if (!env.store.getMessage(target.channel as string, ts)) return fail('message_not_found');
    return ok({
      channel: target.channel,
      permalink: `https://${env.teamDomain}.slack.com/archives/${target.channel}/p${ts.replace('.', '')}`,
    });
  },
  'views.open': openView,
  'views.push': openView,
  'views.update': updateView,
  'views.publish': publishView,
  'conversations.info': (env, _m, body) => {
    const target = resolveChannel(env, body.channel);
    if (target.error) return target.error;
    return ok({ channel: channelJson(env, target.channel as string) });
  },
  'conversations.open': (_env, _m, body) => {
    const users = (str(body.users) ?? '').split(',').filter(Boolean);
    if (users.length === 0) return fail('users_list_not_supplied');
    const id = users.length === 1 ? `D${users[0]}` : `G${users.join('')}`.slice(0, 24);
    return ok({ channel: { id, is_im: users.length === 1 } });
  },
  'users.info': (env, _m, body) => {
    const id = str(body.user);
    if (!id) return fail('user_not_found');
    const u = env.users.get(id);
    if (!u && env.strictUsers) return fail('user_not_found');
    return ok({ user: userJson(env, id, u ?? {}) });
  },
  'usergroups.users.list': (env, _m, body) => {
    const id = str(body.usergroup) ?? '';
    const users = env.usergroups.get(id);
    if (!users) return fail('no_such_subteam');
    return ok({ users });
  },
  'files.getUploadURLExternal': (env, _m, body) => getUploadUrl(env, body),
  'files.completeUploadExternal': (env, _m, body) => completeUpload(env, body),
};

export const SUPPORTED_METHODS: readonly string[] = Object.keys(HANDLERS);

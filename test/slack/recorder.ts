/**
 * What the emulator saw: Web API calls, response_url posts, uploads, limit violations.
 * Plain data plus a polling helper; no vitest imports so it runs in the bench and the demo too.
 */

export type JsonObject = Record<string, unknown>;

/** One Web API request (`/api/<method>`), recorded after the emulator decided the reply. */
export interface ApiCall {
  /** Slack method name, e.g. `chat.postMessage`. */
  method: string;
  /** Epoch ms when the request body had been read. */
  at: number;
  /** Parsed body; JSON-string form fields such as `blocks`/`view`/`attachments` are already parsed. */
  body: JsonObject;
  /** Token from `Authorization: Bearer …` (or the `token` field), if any. */
  token: string | undefined;
  /** `form` | `json` | `multipart` | `query` | `empty`. */
  contentType: string;
  /** HTTP status sent back. */
  status: number;
  /** JSON reply sent back (undefined for a bare 5xx). */
  response: JsonObject | undefined;
  /** Set when an injected fault produced the reply. */
  fault?: FaultSpec;
}

/** One POST to a `response_url`. */
export interface ResponseUrlPost {
  /** The `<id>` in `/response/<id>`. */
  id: string;
  envelopeId: string | undefined;
  at: number;
  body: JsonObject;
  status: number;
  /** 1-based use counter for this url (6th and later get 404). */
  use: number;
  /** What the emulator did with it. */
  effect: 'ephemeral' | 'in_channel' | 'replaced' | 'deleted' | 'rejected';
}

/** A file that went through getUploadURLExternal → upload POST → completeUploadExternal. */
export interface UploadRecord {
  fileId: string;
  filename: string;
  /** Length declared to getUploadURLExternal. */
  declaredLength: number;
  content: Buffer | undefined;
  /** `content` decoded as UTF-8 (convenience). */
  text: string | undefined;
  uploadedAt: number | undefined;
  completed: boolean;
  title: string | undefined;
  channelId: string | undefined;
  initialComment: string | undefined;
  threadTs: string | undefined;
}

/** A Slack hard-limit violation found on a message, view or response. */
export interface LimitViolation {
  /** `chat.postMessage`, `views.open`, `response_url`, `ack`… */
  method: string;
  at: number;
  /** Error code replied (`invalid_blocks`, `msg_blocks_too_long`, `invalid_arguments`…). */
  error: string;
  /** Human-readable findings, `[ERROR] … [json-pointer:/blocks/3/text]` like Slack. */
  messages: string[];
}

export interface FaultSpec {
  /** Slack method (`chat.postMessage`), `response_url`, `upload`, or `*` for every Web API method. */
  method: string;
  /** HTTP status to send (429, 500, 503…). With 429 a `Retry-After` header is sent. */
  status?: number;
  /** Seconds for `Retry-After` (429 only; default 1). */
  retryAfterSec?: number;
  /** Reply 200 `{ok:false,error}` instead (e.g. `ratelimited`, `not_in_channel`). */
  error?: string;
  /** How many requests it hits (default 1; `Infinity` for all). */
  times?: number;
  /** Delay before replying (ms). */
  delayMs?: number;
  /** Only requests whose parsed body satisfies this. */
  when?: (body: JsonObject) => boolean;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

/**
 * Poll `probe` until it returns something other than `undefined`. On timeout, reject with
 * `what` plus `received()` (a description of what WAS seen), so failures explain themselves.
 */
export function pollUntil<T>(
  probe: () => T | undefined,
  what: string,
  received: () => string,
  timeoutMs = 2000,
  intervalMs = 5,
): Promise<T> {
  const started = Date.now();
  return new Promise<T>((resolve, reject) => {
    const tick = (): void => {
      let value: T | undefined;
      try {
        value = probe();
      } catch (err) {
        reject(err);
        return;
      }
      if (value !== undefined) {
        resolve(value);
        return;
      }
      if (Date.now() - started >= timeoutMs) {
        reject(new WaitTimeoutError(`${what}: timed out after ${timeoutMs} ms. Received: ${received()}`));
        return;
      }
      setTimeout(tick, intervalMs);
    };
    tick();
  });
}

/** Short one-line rendering of a value for timeout messages. */
export function brief(value: unknown, max = 160): string {
  let s: string;
  try {
    s = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    s = String(value);
  }
  if (s === undefined) return 'undefined';
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** `chat.postMessage×2, auth.test×1` */
export function countByMethod(calls: readonly { method: string }[]): string {
  if (calls.length === 0) return '(nothing)';
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c.method, (counts.get(c.method) ?? 0) + 1);
  return [...counts].map(([m, n]) => `${m}×${n}`).join(', ');
}

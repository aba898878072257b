// Answers go to the command's response_url first (works where the bot is not a channel member), and fall back
// to chat.postMessage (in_channel) or chat.postEphemeral when the response_url is spent, expired or failing.
// A 429 from the response_url is honoured with its Retry-After; the Web API client does the same on its side.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../lib/log.js';

export interface SlackMessage {
  text: string;
  blocks?: unknown[];
}

export interface ReplyTarget {
  responseUrl: string | undefined;
  channelId: string | undefined;
  userId: string;
}

export interface ReplyOptions {
  inChannel: boolean;
  replaceOriginal?: boolean;
}

const MAX_ATTEMPTS = 4;
const MAX_RETRY_AFTER_SEC = 30;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ResponseUrlError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ResponseUrlError';
  }
}

/** POST to a response_url, retrying 429 (after Retry-After) and 5xx/network errors (with back-off). */
export async function postToResponseUrl(url: string, body: Record<string, unknown>, log: Logger): Promise<void> {
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      lastError = err instanceof Error ? err : new Error(String(err));
      log.warn({ attempt, err: lastError.message }, 'response_url request failed');
      await sleep(250 * 2 ** attempt);
      continue;
    }
    await res.body?.cancel().catch(() => {});
    if (res.ok) return;
    if (res.status === 429) {
      const retryAfter = Number.parseInt(res.headers.get('retry-after') ?? '1', 10);
      const sec = Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(retryAfter, MAX_RETRY_AFTER_SEC) : 1;
      log.info({ attempt, retryAfterSec: sec }, 'response_url rate limited; waiting Retry-After');
      lastError = new ResponseUrlError('rate limited', 429);
      await sleep(sec * 1000);
      continue;
    }
    if (res.status >= 500) {
      lastError = new ResponseUrlError(`HTTP ${res.status}`, res.status);
      await sleep(250 * 2 ** attempt);
      continue;
    }
    // 404 (used up or expired) and other 4xx: retrying cannot help.
    throw new ResponseUrlError(`response_url answered HTTP ${res.status}`, res.status);
  }
  throw lastError ?? new Error('response_url failed');
}

export async function reply(
  client: WebClient,
  target: ReplyTarget,
  message: SlackMessage,
  opts: ReplyOptions,
  log: Logger,
): Promise<'response_url' | 'chat.postMessage' | 'chat.postEphemeral'> {
  if (target.responseUrl) {
    try {
      await postToResponseUrl(
        target.responseUrl,
        {
          ...message,
          response_type: opts.inChannel ? 'in_channel' : 'ephemeral',
          replace_original: opts.replaceOriginal ?? false,
        },
        log,
      );
      return 'response_url';
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'response_url failed; falling back to the Web API');
    }
  }
  if (!target.channelId) throw new Error('no response_url and no channel to answer in');
  if (opts.inChannel) {
    await client.chat.postMessage({ channel: target.channelId, text: message.text, ...blocksOf(message) });
    return 'chat.postMessage';
  }
  await client.chat.postEphemeral({
    channel: target.channelId,
    user: target.userId,
    text: message.text,
    ...blocksOf(message),
  });
  return 'chat.postEphemeral';
}

export function blocksOf(m: SlackMessage): { blocks?: never[] } {
  // The Web API typings want KnownBlock[]; our views build plain objects within the same shape.
  return m.blocks ? { blocks: m.blocks as never[] } : {};
}

// Sends the outbound queue in order. Each op leaves the queue (and joins `sent`) only after Slack accepted it
// and the store was saved, so nothing is lost while Slack is unreachable and nothing is sent twice after it
// comes back. A network or HTTP failure stops the run (the op stays first); Slack refusing an op for good
// (`ok:false`, except rate limiting) drops it, logged, so one bad message cannot block the rest.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../lib/log.js';
import type { AlertStoreData, OutboundOp } from './store.js';

export type FlushResult = { sent: number; blocked: boolean };

export async function sendQueue(
  data: AlertStoreData,
  client: WebClient,
  channel: string,
  save: () => Promise<void>,
  log: Logger,
): Promise<FlushResult> {
  let sent = 0;
  for (;;) {
    const op = data.queue[0];
    if (!op) return { sent, blocked: false };
    try {
      await sendOne(data, client, channel, op, log);
    } catch (err) {
      const e = err as { code?: string; data?: { error?: string }; message: string };
      const refused = e.code === 'slack_webapi_platform_error' && e.data?.error !== 'ratelimited';
      if (!refused) {
        log.warn({ op: op.id, err: e.message, queued: data.queue.length }, 'alert message not sent; kept in the queue');
        return { sent, blocked: true };
      }
      log.error({ op: op.id, err: e.data?.error ?? e.message }, 'Slack refused an alert message; dropped');
    }
    data.queue.shift();
    data.sent.push(op.id);
    await save();
    sent += 1;
  }
}

async function sendOne(data: AlertStoreData, client: WebClient, channel: string, op: OutboundOp, log: Logger) {
  const blocks = op.message.blocks as never[];
  const where = data.messages[op.incident];
  switch (op.kind) {
    case 'post': {
      const res = await client.chat.postMessage({ channel, text: op.message.text, blocks });
      if (typeof res.ts === 'string') data.messages[op.incident] = { channel, ts: res.ts };
      return;
    }
    case 'update':
      if (!where) {
        log.info({ op: op.id }, 'alert message unknown; edit skipped');
        return;
      }
      await client.chat.update({ channel: where.channel, ts: where.ts, text: op.message.text, blocks });
      return;
    case 'reply':
      await client.chat.postMessage({
        channel: where?.channel ?? channel,
        text: op.message.text,
        blocks,
        ...(where ? { thread_ts: where.ts } : {}),
      });
      return;
    case 'notice':
      await client.chat.postMessage({ channel, text: op.message.text, blocks });
      return;
  }
}

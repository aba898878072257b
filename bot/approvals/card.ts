// Posting and editing the plan card. The card goes into the channel with chat.postMessage (its channel/ts
// recorded with patchRecord so every later state edits the same message); where the bot cannot post, the
// command's response_url carries it instead, and later edits go through a click's response_url.
import type { WebClient } from '@slack/web-api';
import type { ApprovalRecord } from '../../lib/approvals/record.js';
import { patchRecord } from '../../lib/approvals/store.js';
import type { BotDeps } from '../deps.js';
import { blocksOf, postToResponseUrl, type SlackMessage } from '../reply.js';

/** Posts the card; returns its ts when it went through the Web API (and records it on the plan). */
export async function postCard(
  deps: BotDeps,
  client: WebClient,
  where: { channelId: string | undefined; responseUrl: string | undefined; planId: string | null },
  view: SlackMessage,
): Promise<string | undefined> {
  if (where.channelId) {
    try {
      const res = await client.chat.postMessage({ channel: where.channelId, text: view.text, ...blocksOf(view) });
      const ts = typeof res.ts === 'string' ? res.ts : undefined;
      if (ts && where.planId) {
        await patchRecord(deps.stateDir, where.planId, { slack: { channel: where.channelId, ts } });
      }
      return ts;
    } catch (err) {
      deps.log.warn(
        { err: (err as Error).message, channel: where.channelId },
        'plan card post failed; trying response_url',
      );
    }
  }
  if (!where.responseUrl) throw new Error('nowhere to post the plan card');
  await postToResponseUrl(
    where.responseUrl,
    { ...view, response_type: 'in_channel', replace_original: false },
    deps.log,
  );
  return undefined;
}

/** Edits the card in place: chat.update when we know its ts, else the click's response_url. Never throws. */
export async function updateCard(
  deps: BotDeps,
  client: WebClient,
  rec: Pick<ApprovalRecord, 'planId' | 'slack'>,
  view: SlackMessage,
  responseUrl?: string,
): Promise<boolean> {
  try {
    if (rec.slack) {
      await client.chat.update({ channel: rec.slack.channel, ts: rec.slack.ts, text: view.text, ...blocksOf(view) });
      return true;
    }
    if (responseUrl) {
      await postToResponseUrl(responseUrl, { ...view, replace_original: true }, deps.log);
      return true;
    }
    deps.log.info({ planId: rec.planId }, 'plan card has no known message; not updated');
  } catch (err) {
    deps.log.warn({ planId: rec.planId, err: (err as Error).message }, 'plan card update failed');
  }
  return false;
}

/** Thread reply under the card (the full action list). */
export async function postThreadReply(
  deps: BotDeps,
  client: WebClient,
  channel: string,
  threadTs: string,
  view: SlackMessage,
): Promise<void> {
  await client.chat
    .postMessage({ channel, thread_ts: threadTs, text: view.text, ...blocksOf(view) })
    .catch((err: unknown) => deps.log.warn({ err: (err as Error).message }, 'thread reply failed'));
}

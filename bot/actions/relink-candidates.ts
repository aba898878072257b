// `/ytm relink CHxx-NNN` without --draft: the read-only listing runs in a job child (`ytm relink … --events`;
// the bot never reads drafts itself) and its candidates are posted in the channel with "Use this draft" buttons.
import type { WebClient } from '@slack/web-api';
import { isRelinkListing } from '../../jobs/relink/listing.js';
import type { BotDeps } from '../deps.js';
import { type ReplyTarget, reply } from '../reply.js';
import { plainView } from '../views/help.js';
import { esc } from '../views/limits.js';
import { relinkCandidatesView } from '../views/relink.js';

export async function showRelinkCandidates(
  deps: BotDeps,
  client: WebClient,
  target: ReplyTarget,
  episode: string,
): Promise<void> {
  const start = deps.jobs.run({ args: ['relink', episode, '--events'], timeoutMs: deps.settings.jobTimeoutMs });
  const outcome = await start.done;
  if (start.busy || !isRelinkListing(outcome.result)) {
    const why =
      start.busy ?? `the listing ended (${outcome.status}, exit ${outcome.exitCode ?? outcome.signal ?? '?'})`;
    await reply(
      client,
      target,
      plainView(`:x: \`/ytm relink ${esc(episode)}\`: ${esc(why)}`),
      { inChannel: false },
      deps.log,
    );
    return;
  }
  await reply(client, target, relinkCandidatesView(outcome.result), { inChannel: true }, deps.log);
}

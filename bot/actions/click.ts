// What every button handler needs from a block_actions payload, and the one way buttons are registered: ack at
// once, the same access check as every other entry point (bot/access.ts), a refusal answered ephemerally and
// audited, and only then the button's own work. Also the shared shape of the buttons that plan a command
// (Re-plan, Plan flush): the same access rules as typing the command, then a plan card.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { checkAccess, type Need, type Requester } from '../access.js';
import { type Click, tellClicker } from '../approvals/approve.js';
import { requestPlan } from '../approvals/plan-request.js';
import { type BotDeps, refuse, track } from '../deps.js';

export function requesterOfAction(body: BlockAction): Requester {
  return {
    userId: body.user.id,
    channelId: body.channel?.id ?? body.container?.channel_id,
    teamId: body.team?.id ?? body.user.team_id,
  };
}

export function clickOf(body: BlockAction<ButtonAction>): Click {
  const who = requesterOfAction(body);
  const action = body.actions[0];
  const messageTs = body.container?.message_ts ?? body.message?.ts;
  return {
    planId: typeof action?.value === 'string' ? action.value : '',
    userId: who.userId,
    channelId: who.channelId,
    messageTs: typeof messageTs === 'string' ? messageTs : undefined,
    responseUrl: body.response_url,
  };
}

type ButtonHandler = (click: Click, client: WebClient) => Promise<void>;

export function registerButton(app: App, deps: BotDeps, actionId: string, need: Need, handler: ButtonHandler): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, client }) => {
    await ack();
    const click = clickOf(body);
    const who = requesterOfAction(body);
    const decision = checkAccess(deps.policy, who, need);
    if (!decision.ok) {
      const { message, recorded } = refuse(deps, who, `button ${actionId}`, decision);
      track(
        deps,
        recorded.then(() => tellClicker(deps, client, click, `:no_entry: ${message}`)),
      );
      return;
    }
    track(deps, handler(click, client));
  });
}

/** The words to plan for a click, or a message for the clicker when there are none. */
type WordsFor = (click: Click) => Promise<{ words: string[]; channelId?: string | undefined } | { missing: string }>;

export function registerPlanningButton(
  app: App,
  deps: BotDeps,
  actionId: string,
  via: 'button' | 'replan',
  wordsFor: WordsFor,
): void {
  registerButton(app, deps, actionId, 'run', (click, client) => planFor(deps, client, click, via, wordsFor));
}

async function planFor(deps: BotDeps, client: WebClient, click: Click, via: 'button' | 'replan', wordsFor: WordsFor) {
  const what = await wordsFor(click);
  if ('missing' in what) {
    await tellClicker(deps, client, click, what.missing);
    return;
  }
  await requestPlan(deps, client, {
    words: what.words,
    userId: click.userId,
    channelId: click.channelId ?? what.channelId,
    responseUrl: click.responseUrl,
    via,
  });
}

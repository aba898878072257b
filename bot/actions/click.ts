// What every plan button handler needs from a block_actions payload: the plan id (the button's value), who
// clicked, where, and the click's response_url.
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Click } from '../approvals/approve.js';
import { requesterOfAction } from './doctor-rerun.js';

export function clickOf(body: BlockAction<ButtonAction>): Click {
  const who = requesterOfAction(body);
  const action = body.actions[0];
  return {
    planId: typeof action?.value === 'string' ? action.value : '',
    userId: who.userId,
    channelId: who.channelId,
    responseUrl: body.response_url,
  };
}

/**
 * Socket Mode envelope payloads in the documented shapes (slack-testing-notes.md "Wire formats observed").
 */
import type { JsonObject } from './recorder.js';

export interface Identity {
  teamId: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  botId: string;
  /** Legacy verification token carried in payloads (`token`). */
  verificationToken: string;
}

export interface SlashCommandInput {
  command?: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  team_id?: string;
  /** Any further payload fields (override the defaults). */
  [field: string]: unknown;
}

export interface BlockActionInput {
  /** User id, or a full `{id, username, name, team_id}` object. */
  user: string | { id: string; username?: string; name?: string; team_id?: string };
  channel: string;
  channel_name?: string;
  /** ts of the message holding the button. Its stored copy becomes `payload.message`. */
  message_ts: string;
  action_id: string;
  /** Defaults to the value of the button with `action_id` in the stored message. */
  value?: string;
  /** Defaults to the block holding that button. */
  block_id?: string;
  /** Button label; defaults to the stored button's text. */
  text?: string;
  /** Element type (default: the stored element's type, else `button`). */
  type?: string;
  is_ephemeral?: boolean;
  /** Overrides `payload.message` (e.g. for a message the emulator never saw). */
  message?: JsonObject;
  /** `payload.state` (default `{values:{}}`). */
  state?: JsonObject;
  /** Extra top-level payload fields. */
  extra?: JsonObject;
}

export interface ButtonMatch {
  blockId: string | undefined;
  element: JsonObject;
}

/** Find the interactive element with `actionId` in a block list (actions blocks and section accessories). */
export function findAction(blocks: unknown, actionId: string): ButtonMatch | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const b of blocks) {
    if (typeof b !== 'object' || b === null) continue;
    const block = b as JsonObject;
    const blockId = typeof block.block_id === 'string' ? block.block_id : undefined;
    const candidates: unknown[] = [];
    if (Array.isArray(block.elements)) candidates.push(...block.elements);
    if (block.accessory !== undefined) candidates.push(block.accessory);
    for (const el of candidates) {
      if (typeof el === 'object' && el !== null && (el as JsonObject).action_id === actionId) {
        return { blockId, element: el as JsonObject };
      }
    }
  }
  return undefined;
}

/** Slack-style `1700000000.123456` from epoch ms. */
export function epochTs(ms: number, micro = 0): string {
  const sec = Math.floor(ms / 1000);
  const us = (ms % 1000) * 1000 + (micro % 1000);
  return `${sec}.${String(us).padStart(6, '0')}`;
}

export function slashCommandPayload(
  id: Identity,
  input: SlashCommandInput,
  responseUrl: string,
  triggerId: string,
): JsonObject {
  const channelId = input.channel_id ?? 'C0EMULATOR';
  const userId = input.user_id ?? 'U0EMULATOR';
  return {
    token: id.verificationToken,
    team_id: id.teamId,
    team_domain: id.teamDomain,
    channel_id: channelId,
    channel_name: input.channel_name ?? channelId.toLowerCase(),
    user_id: userId,
    user_name: input.user_name ?? userId.toLowerCase(),
    command: input.command ?? '/ytm',
    text: input.text ?? '',
    api_app_id: id.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
    ...input,
  };
}

export function blockActionsPayload(
  id: Identity,
  input: BlockActionInput,
  storedMessage: JsonObject | undefined,
  responseUrl: string,
  triggerId: string,
  actionTs: string,
): JsonObject {
  const user =
    typeof input.user === 'string'
      ? { id: input.user, username: input.user.toLowerCase(), name: input.user.toLowerCase(), team_id: id.teamId }
      : {
          id: input.user.id,
          username: input.user.username ?? input.user.id.toLowerCase(),
          name: input.user.name ?? input.user.id.toLowerCase(),
          team_id: input.user.team_id ?? id.teamId,
        };
  const message = input.message ?? storedMessage ?? { type: 'message', ts: input.message_ts, text: '' };
  const match = findAction(message.blocks, input.action_id);
  const el = match?.element;
  const elText = el?.text as JsonObject | undefined;
  const action: JsonObject = {
    action_id: input.action_id,
    block_id: input.block_id ?? match?.blockId ?? 'emulator_block',
    text: {
      type: 'plain_text',
      text: input.text ?? (elText?.text as string | undefined) ?? input.action_id,
      emoji: true,
    },
    type: input.type ?? (el?.type as string | undefined) ?? 'button',
    action_ts: actionTs,
  };
  const value = input.value ?? (el?.value as string | undefined);
  if (value !== undefined) action.value = value;
  if (el?.style !== undefined) action.style = el.style;
  return {
    type: 'block_actions',
    user,
    api_app_id: id.appId,
    token: id.verificationToken,
    container: {
      type: 'message',
      message_ts: input.message_ts,
      channel_id: input.channel,
      is_ephemeral: input.is_ephemeral ?? false,
    },
    trigger_id: triggerId,
    team: { id: id.teamId, domain: id.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: input.channel_name ?? input.channel.toLowerCase() },
    message,
    state: input.state ?? { values: {} },
    response_url: responseUrl,
    actions: [action],
    ...input.extra,
  };
}

/** `events_api` envelope payload around an inner `event`. */
export function eventCallbackPayload(
  id: Identity,
  event: JsonObject,
  eventId: string,
  eventTimeSec: number,
): JsonObject {
  return {
    token: id.verificationToken,
    team_id: id.teamId,
    api_app_id: id.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: eventTimeSec,
    authorizations: [
      { enterprise_id: null, team_id: id.teamId, user_id: id.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-emulator-${eventId}`,
  };
}

// Who may run what, where: the one access check for every entry point (commands, buttons, events). Slack IDs
// only (never names). The team is checked everywhere; the channel list wherever there is a channel. Mutating
// commands always need the user allowlist; read-only ones may be opened to everyone in the allowed channels
// (YTM_SLACK_READONLY_OPEN). Approve and Cancel are decided by the plan's own roles (approvers, requester),
// which their handlers check after this.
import type { Config } from '../lib/config.js';

export interface Requester {
  userId: string;
  channelId: string | undefined;
  teamId: string | undefined;
}

/** What the request needs: `read` a report, `run` a mutating command, `decide` on a plan (Approve/Cancel), or
 * see the App `home` tab (no channel there). */
export type Need = 'read' | 'run' | 'decide' | 'home';

export type AccessDecision = { ok: true } | { ok: false; reason: string; message: string };

export interface AccessPolicy {
  allowedUsers: readonly string[];
  allowedChannels: readonly string[];
  teamId: string | null;
  readonlyOpen: boolean;
}

export function accessPolicy(c: Config): AccessPolicy {
  // The alert channel is where the bot posts its own buttons (Plan outbox flush, Plan mirror, a scheduled plan's
  // Approve): with a channel allowlist that leaves it out, every one of them would be refused.
  const alert = c.YTM_SLACK_ALERT_CHANNEL;
  const listed = c.YTM_SLACK_ALLOWED_CHANNELS;
  return {
    allowedUsers: c.YTM_SLACK_ALLOWED_USERS,
    allowedChannels: listed.length > 0 && alert && !listed.includes(alert) ? [...listed, alert] : listed,
    teamId: c.YTM_SLACK_TEAM_ID,
    readonlyOpen: c.YTM_SLACK_READONLY_OPEN,
  };
}

export function checkAccess(policy: AccessPolicy, who: Requester, need: Need): AccessDecision {
  if (policy.teamId && who.teamId !== policy.teamId) {
    return {
      ok: false,
      reason: 'team_not_allowed',
      message: `This bot only serves the workspace ${policy.teamId} (YTM_SLACK_TEAM_ID).`,
    };
  }
  if (need === 'home') return { ok: true };
  // An empty channel list means "any channel"; a configured one is a hard boundary for everyone.
  if (policy.allowedChannels.length > 0 && (!who.channelId || !policy.allowedChannels.includes(who.channelId))) {
    return {
      ok: false,
      reason: 'channel_not_allowed',
      message: `/ytm is not enabled in this channel (${who.channelId ?? 'unknown'}). Use one of: ${policy.allowedChannels
        .map((c) => `<#${c}>`)
        .join(', ')}, or ask an admin to add it to YTM_SLACK_ALLOWED_CHANNELS.`,
    };
  }
  if (need === 'decide' || policy.allowedUsers.includes(who.userId)) return { ok: true };
  const mutates = need === 'run';
  if (!mutates && policy.readonlyOpen && policy.allowedChannels.length > 0) return { ok: true };
  if (policy.allowedUsers.length === 0) {
    return {
      ok: false,
      reason: 'no_allowlist',
      message:
        'No one is allowed to run /ytm commands yet: an admin has to list Slack user IDs in YTM_SLACK_ALLOWED_USERS.',
    };
  }
  return {
    ok: false,
    reason: 'user_not_allowed',
    message: `You (<@${who.userId}>) are not on the list of people allowed to run ${
      mutates ? 'this command' : 'commands'
    } (YTM_SLACK_ALLOWED_USERS). Ask an admin to add your Slack user ID.`,
  };
}

// Every Slack Web API method the bot calls, with the bot-token scopes it needs. slack-app.yml must grant exactly
// these (test/bot/manifest.test.ts checks it against this table and against the calls found in bot/**).

export const WEB_API_SCOPES = {
  // Socket Mode and token checks: no bot scope (apps.connections.open uses the app token, connections:write).
  'auth.test': [],
  'apps.connections.open': [],
  // The fallback when a response_url is gone; chat:write.public lets it reach public channels the bot has not joined.
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.postEphemeral': ['chat:write'],
  // Plan cards are edited in place (approved/running, progress, result, cancelled, expired, interrupted).
  'chat.update': ['chat:write'],
  // App Home needs no scope beyond having the Home tab enabled.
  'views.publish': [],
} as const satisfies Record<string, readonly string[]>;

export type WebApiMethod = keyof typeof WEB_API_SCOPES;

/** Scopes the slash commands need (`commands`) plus those of every method above. */
export function requiredBotScopes(): string[] {
  const scopes = new Set<string>(['commands']);
  for (const list of Object.values(WEB_API_SCOPES)) for (const s of list) scopes.add(s);
  return [...scopes].sort();
}

/** The slash commands the bot registers. */
export const SLASH_COMMANDS = ['/ytm'] as const;

/** Events API events the bot listens to (manifest `settings.event_subscriptions.bot_events`). */
export const BOT_EVENTS = ['app_home_opened'] as const;

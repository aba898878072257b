// slack-app.yml must grant exactly what the code uses: the slash commands it registers, the events it listens
// to, and the bot scopes of every Web API method it calls. "Used" is read from bot/** itself, so a new
// `client.x.y(...)` call without its scope in bot/slack-api.ts (and the manifest) fails here.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOT_EVENTS, requiredBotScopes, SLASH_COMMANDS, WEB_API_SCOPES } from '../../bot/slack-api.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Manifest {
  features: {
    slash_commands: { command: string; description: string; usage_hint?: string }[];
    app_home: { home_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    socket_mode_enabled: boolean;
    interactivity: { is_enabled: boolean; request_url?: string };
    event_subscriptions: { bot_events: string[]; request_url?: string };
  };
}

async function botSources(): Promise<{ file: string; text: string }[]> {
  const dir = path.join(ROOT, 'bot');
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ts'));
  return Promise.all(files.map(async (f) => ({ file: f, text: await readFile(path.join(dir, f), 'utf8') })));
}

/** Web API methods called in bot/** as `client.<a>.<b>(` or `client.<a>.<b>.<c>(`. */
async function methodsCalled(): Promise<Set<string>> {
  const found = new Set<string>();
  for (const { text } of await botSources()) {
    for (const m of text.matchAll(/\bclient\.([a-z]+(?:\.[a-zA-Z]+)+)\(/g)) found.add(m[1] as string);
    for (const m of text.matchAll(/\bapiCall\(\s*'([a-z.A-Z]+)'/g)) found.add(m[1] as string);
  }
  return found;
}

describe('slack-app.yml', async () => {
  const manifest = parse(await readFile(path.join(ROOT, 'slack-app.yml'), 'utf8')) as Manifest;

  it('is a Socket Mode app with interactivity, App Home and no request URLs', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.interactivity.request_url).toBeUndefined();
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it('declares every slash command the code registers, with a usage hint', async () => {
    const registered = new Set<string>();
    for (const { text } of await botSources())
      for (const m of text.matchAll(/\.command\('([^']+)'/g)) registered.add(m[1] as string);
    expect([...registered].sort()).toEqual([...SLASH_COMMANDS].sort());
    const declared = manifest.features.slash_commands.map((c) => c.command).sort();
    expect(declared).toEqual([...SLASH_COMMANDS].sort());
    for (const c of manifest.features.slash_commands) expect(c.usage_hint, c.command).toBeTruthy();
  });

  it('subscribes to exactly the events the code listens to', async () => {
    const listened = new Set<string>();
    for (const { text } of await botSources())
      for (const m of text.matchAll(/\.event\('([^']+)'/g)) listened.add(m[1] as string);
    expect([...listened].sort()).toEqual([...BOT_EVENTS].sort());
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...BOT_EVENTS].sort());
  });

  it('every Web API method the code calls has its scopes listed in bot/slack-api.ts', async () => {
    const called = await methodsCalled();
    expect(called.size).toBeGreaterThan(0);
    const known = new Set(Object.keys(WEB_API_SCOPES));
    expect([...called].filter((m) => !known.has(m))).toEqual([]);
  });

  it('grants exactly the bot scopes the code needs: none missing, none extra', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(requiredBotScopes());
  });
});

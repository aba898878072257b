// Slack's markup inside message text (`<!date^…>`, `<@U…>`, `<#C…>`, `<!here>`, `<url|label>`, `&lt;`), parsed
// once for both sandboxes: the terminal's text renderer (../render.ts) and the browser's HTML one (blockkit.ts).
// Pure: no node: imports and no DOM, because the browser loads it as an ES module.

/** One `<…>` token: a link, or something the client shows as text (a date, a mention, `@here`); still entity-escaped. */
export type SlackToken =
  | { kind: 'link'; url: string; label: string | null }
  | { kind: 'date' | 'mention'; text: string };

/** Every `<…>` in raw Slack text; group 1 is what is inside the brackets. */
export const SLACK_TOKEN = /<([^<>\n]+)>/g;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `<!date^1700000000^{date_short} {time}|fallback>` as a reader sees it, in UTC so the sandbox prints the same
 * text wherever it runs: date tokens → `2026-01-01`, `{time}` → `00:00`, `{time_secs}` → `00:00:00`.
 */
export function slackDate(epochSec: string, format: string, fallback: string): string {
  const d = new Date(Number(epochSec) * 1000);
  if (!Number.isFinite(d.getTime())) return fallback;
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const text = format.replace(/\{(date\w*|time|time_secs|ago)\}/g, (_m, token: string) =>
    token === 'time' ? time : token === 'time_secs' ? `${time}:${pad(d.getUTCSeconds())}` : date,
  );
  return `${text} UTC`;
}

/** What is inside one `<…>`; null when it is none of Slack's tokens (then the text stays as it is). */
export function parseToken(inner: string): SlackToken | null {
  const date = /^!date\^(\d+)\^([^|]*)(?:\|(.*))?$/.exec(inner);
  if (date)
    return { kind: 'date', text: slackDate(date[1] as string, date[2] as string, date[3] ?? (date[1] as string)) };
  const special = /^!(here|channel|everyone)(?:\|.*)?$/.exec(inner);
  if (special) return { kind: 'mention', text: `@${special[1]}` };
  const team = /^!subteam\^[A-Z0-9]+(?:\|(.+))?$/.exec(inner);
  if (team) return { kind: 'mention', text: team[1] ?? '@team' };
  const user = /^@([UW][A-Z0-9]+)(?:\|(.+))?$/.exec(inner);
  if (user) return { kind: 'mention', text: `@${user[2] ?? user[1]}` };
  const channel = /^#([CG][A-Z0-9]+)(?:\|(.*))?$/.exec(inner);
  if (channel) return { kind: 'mention', text: `#${channel[2] || channel[1]}` };
  const link = /^((?:https?|mailto|file):[^|]+)(?:\|(.+))?$/.exec(inner);
  if (link) return { kind: 'link', url: link[1] as string, label: link[2] ?? null };
  return null;
}

/** Slack's three entity escapes back into characters, each decoded once (`&amp;lt;` is the text `&lt;`). */
export function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|amp);/g, (_m, e: string) => (e === 'lt' ? '<' : e === 'gt' ? '>' : '&'));
}

// Block Kit as terminal text, for the sandbox: enough to read what the bot would show in Slack, with Slack's
// markup (`&lt;`, `<!date^…>`, `<@U…>`, `<url|text>`) turned back into readable text (web/slack-markup.ts parses it,
// for this renderer and the browser sandbox's HTML one alike).
import { decodeEntities, parseToken, SLACK_TOKEN } from './web/slack-markup.js';

type Json = Record<string, unknown>;

/** Slack mrkdwn/plain text as a person reads it in the client. */
export function slackText(s: string): string {
  const tokens = s.replace(SLACK_TOKEN, (whole, inner: string) => {
    const t = parseToken(inner);
    if (!t) return whole;
    if (t.kind !== 'link') return t.text;
    return t.label ? `${t.label} (${t.url})` : t.url;
  });
  return decodeEntities(tokens);
}

function text(t: unknown): string {
  return t && typeof t === 'object' && typeof (t as Json).text === 'string'
    ? slackText((t as Json).text as string)
    : '';
}

export function renderBlocks(blocks: unknown, fallback = ''): string {
  if (!Array.isArray(blocks) || blocks.length === 0) return slackText(fallback);
  const out: string[] = [];
  for (const b of blocks as Json[]) {
    switch (b.type) {
      case 'header':
        out.push(`== ${text(b.text)} ==`);
        break;
      case 'section':
        if (b.text) out.push(text(b.text));
        if (Array.isArray(b.fields)) out.push((b.fields as unknown[]).map(text).join('  |  '));
        break;
      case 'context':
        out.push(`  (${(Array.isArray(b.elements) ? (b.elements as unknown[]) : []).map(text).join(' · ')})`);
        break;
      case 'actions':
        out.push((Array.isArray(b.elements) ? (b.elements as Json[]) : []).map((e) => `[ ${text(e.text)} ]`).join(' '));
        break;
      case 'divider':
        out.push('----');
        break;
      default:
        out.push(`<${String(b.type)} block>`);
    }
  }
  return out.join('\n');
}

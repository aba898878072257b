// Block Kit as terminal text, for the sandbox: enough to read what the bot would show in Slack, with Slack's
// markup (`&lt;`, `<!date^…>`, `<@U…>`, `<url|text>`) turned back into readable text.

type Json = Record<string, unknown>;

function slackDate(epochSec: string, fallback: string): string {
  const ms = Number(epochSec) * 1000;
  return Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC` : fallback;
}

/** Slack mrkdwn/plain text as a person reads it in the client. */
export function slackText(s: string): string {
  return s
    .replace(/<!date\^(\d+)\^[^|>]*(?:\|([^>]*))?>/g, (_m, ts: string, fb?: string) => slackDate(ts, fb ?? ts))
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]+))?>/g, (_m, id: string, name?: string) => `@${name ?? id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<((?:https?|mailto|file):[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto|file):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
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

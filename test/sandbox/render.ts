// Block Kit as terminal text, for the sandbox: enough to read what the bot would show in Slack.

type Json = Record<string, unknown>;

function text(t: unknown): string {
  return t && typeof t === 'object' && typeof (t as Json).text === 'string' ? ((t as Json).text as string) : '';
}

export function renderBlocks(blocks: unknown, fallback = ''): string {
  if (!Array.isArray(blocks) || blocks.length === 0) return fallback;
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

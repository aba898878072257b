// Slack's Block Kit limits (anchors.md §3) and the small helpers that keep every view inside them.

export const SLACK_LIMITS = {
  messageBlocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  buttonValue: 2000,
  buttonText: 75,
  /** Undocumented total cap (msg_blocks_too_long at ~13k, bolt-js #2509); we stay under 12,000 JSON characters. */
  messageBlocksJson: 12_000,
  /** Fallback `text` of a message; Slack truncates above 40,000, and ~4,000 reads well in notifications. */
  fallbackText: 3_000,
} as const;

export type Block = Record<string, unknown>;

/** Escape the three characters Slack mrkdwn treats as control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cut `text` to at most `max` characters, ending with "…" when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

export const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(text, SLACK_LIMITS.headerText), emoji: true },
});

export const section = (mrkdwn: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(mrkdwn, SLACK_LIMITS.sectionText) },
});

export const context = (...mrkdwn: string[]): Block => ({
  type: 'context',
  elements: mrkdwn
    .slice(0, SLACK_LIMITS.contextElements)
    .map((t) => ({ type: 'mrkdwn', text: clip(t, SLACK_LIMITS.sectionText) })),
});

export const divider = (): Block => ({ type: 'divider' });

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Block {
  return {
    type: 'button',
    text: { type: 'plain_text', text: clip(text, SLACK_LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value: clip(value, SLACK_LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

export const jsonSize = (blocks: readonly Block[]): number => JSON.stringify(blocks).length;

/**
 * Lines joined under a character budget: keeps whole lines and, when some do not fit, ends with
 * "…and N more" (N counts the lines left out plus `hiddenBeyond` items never listed).
 */
export function linesWithinBudget(lines: readonly string[], max: number, hiddenBeyond = 0, noun = 'more'): string {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const left = lines.length - i + hiddenBeyond;
    const tail = `…and ${left} ${noun}`;
    const cost = line.length + 1;
    const reserve = i < lines.length - 1 || hiddenBeyond > 0 ? tail.length + 1 : 0;
    if (used + cost + reserve > max) {
      out.push(tail);
      return out.join('\n');
    }
    out.push(line);
    used += cost;
  }
  if (hiddenBeyond > 0) out.push(`…and ${hiddenBeyond} ${noun}`);
  return out.join('\n');
}

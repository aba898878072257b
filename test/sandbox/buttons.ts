// Pressing buttons in the terminal sandbox: every button of the channel's current messages gets a number;
// `click <n>` presses one, `approve` / `cancel` press the newest Approve / Cancel, `buttons` lists them.

export interface SandboxButton {
  n: number;
  label: string;
  actionId: string;
  messageTs: string;
}

interface MessageLike {
  ts: string;
  blocks?: unknown;
}

type Element = { type?: string; action_id?: string; text?: { text?: string } };

/** Buttons of `messages` (oldest first), numbered from 1 in that order. */
export function buttonsIn(messages: readonly MessageLike[]): SandboxButton[] {
  const out: SandboxButton[] = [];
  for (const m of messages) {
    for (const b of (Array.isArray(m.blocks) ? m.blocks : []) as { type?: string; elements?: Element[] }[]) {
      if (b.type !== 'actions') continue;
      for (const e of b.elements ?? []) {
        if (e.type !== 'button' || !e.action_id) continue;
        out.push({ n: out.length + 1, label: e.text?.text ?? e.action_id, actionId: e.action_id, messageTs: m.ts });
      }
    }
  }
  return out;
}

export type SandboxCommand =
  | { kind: 'list' }
  | { kind: 'press'; button: SandboxButton }
  | { kind: 'error'; message: string }
  | { kind: 'slash'; text: string };

/** What a typed line means: a sandbox button command, or `/ytm …` text (the `/ytm` is optional). */
export function parseSandboxLine(line: string, buttons: readonly SandboxButton[]): SandboxCommand {
  const words = line.trim().split(/\s+/);
  const [first = '', second] = words;
  if (first === 'buttons' && words.length === 1) return { kind: 'list' };
  if ((first === 'approve' || first === 'cancel') && words.length === 1) {
    const wanted = `plan.${first}`;
    const button = [...buttons].reverse().find((b) => b.actionId === wanted);
    return button ? { kind: 'press', button } : { kind: 'error', message: `no ${first} button on any message yet` };
  }
  if (first === 'click') {
    const button = buttons.find((b) => String(b.n) === second);
    return button && words.length === 2
      ? { kind: 'press', button }
      : { kind: 'error', message: `usage: click <n>, n from \`buttons\` (1-${buttons.length || 0})` };
  }
  return {
    kind: 'slash',
    text: line
      .trim()
      .replace(/^\/ytm\b/, '')
      .trim(),
  };
}

export function describeButtons(buttons: readonly SandboxButton[]): string {
  if (buttons.length === 0) return 'No buttons yet.';
  return `Buttons: ${buttons.map((b) => `[${b.n}] ${b.label}`).join('  ')}   (type \`click <n>\`, \`approve\` or \`cancel\`)`;
}

// `/ytm`, `/ytm help [command]` and every "that did not parse" answer: the same help text as the terminal.
import { type CommandSpec, helpText } from '../../jobs/grammar.js';
import { type Block, clip, esc, SLACK_LIMITS, section } from './limits.js';

export interface HelpView {
  text: string;
  blocks: Block[];
}

/** Read-only commands wired into Slack (bot/commands/ytm.ts); mutating ones work through a plan card. */
const SLACK_READ_ONLY = new Set(['help', 'doctor', 'outbox', 'plans', 'audit']);

/** What `/ytm` can really do: available, and either planned on a card or answered read-only. */
export function worksInSlack(spec: CommandSpec): boolean {
  return spec.available && (spec.mutates || SLACK_READ_ONLY.has(spec.name));
}

function helpBlock(command?: string, listed?: (spec: CommandSpec) => boolean): Block {
  // The terminal's help, in Slack's words: `/ytm …` instead of `ytm …`.
  const body = helpText(command, listed).replace(/(^|[\s`(])ytm /g, '$1/ytm ');
  return section(`\`\`\`${esc(clip(body, SLACK_LIMITS.sectionText - 8))}\`\`\``);
}

/** `listed`: which commands the overview names (Slack passes worksInSlack). */
export function helpView(command?: string, listed?: (spec: CommandSpec) => boolean): HelpView {
  return {
    text: command ? `/ytm help ${command}` : '/ytm: what I can do',
    blocks: [helpBlock(command, listed)],
  };
}

/** A line of input that did not parse: what was wrong, the closest command, and the help. */
export function usageErrorView(error: string, opts: { command?: string; suggestion?: string }): HelpView {
  const lines = [`:warning: ${esc(clip(error, 1000))}`];
  if (opts.suggestion) lines.push(`Did you mean \`/ytm ${esc(opts.suggestion)}\`?`);
  lines.push(opts.command ? `Usage of \`${esc(opts.command)}\`:` : 'Here is what I understand:');
  const text = clip(
    `${error}${opts.suggestion ? ` (did you mean /ytm ${opts.suggestion}?)` : ''}`,
    SLACK_LIMITS.fallbackText,
  );
  return { text, blocks: [section(lines.join('\n')), helpBlock(opts.command ?? opts.suggestion, worksInSlack)] };
}

export function plainView(mrkdwn: string, fallback?: string): HelpView {
  return { text: clip(fallback ?? mrkdwn, SLACK_LIMITS.fallbackText), blocks: [section(mrkdwn)] };
}

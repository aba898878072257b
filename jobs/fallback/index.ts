// `ytm fallback [restore] [--run]`: the command function the CLI calls with the parsed words.
import { runJobCommand } from '../engine/terminal.js';
import type { ParsedCommand } from '../grammar.js';
import { type FallbackInput, fallbackJob } from './job.js';

export function fallbackCommand(cmd: ParsedCommand): Promise<number> {
  const input: FallbackInput = { action: cmd.input.action === 'restore' ? 'restore' : 'materialize' };
  return runJobCommand(fallbackJob, input, {
    json: cmd.json,
    events: cmd.events,
    yes: cmd.yes,
    run: cmd.input.run === true,
  });
}

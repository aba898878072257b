// `ytm vault [--run]`: the command function the CLI calls with the parsed words.
import { runJobCommand } from '../engine/terminal.js';
import type { ParsedCommand } from '../grammar.js';
import { vaultJob } from './job.js';

export function vaultCommand(cmd: ParsedCommand): Promise<number> {
  return runJobCommand(vaultJob, {}, { json: cmd.json, events: cmd.events, yes: cmd.yes, run: cmd.input.run === true });
}

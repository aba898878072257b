// `ytm archive published …`: the command function the CLI calls.
import { runJobCommand } from '../engine/terminal.js';
import type { ParsedCommand } from '../grammar.js';
import { archivePublishedInputFromArgs } from './input.js';
import { archivePublishedJob } from './job.js';

export function archiveCommand(cmd: ParsedCommand): Promise<number> {
  return runJobCommand(archivePublishedJob, archivePublishedInputFromArgs(cmd.input), {
    json: cmd.json,
    events: cmd.events,
    yes: cmd.yes,
    run: cmd.input.run === true,
  });
}

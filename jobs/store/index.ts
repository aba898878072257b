// `ytm store …`: the command function the CLI calls with the parsed words.

import { EXIT_USAGE } from '../engine/exit.js';
import { createOutput } from '../engine/output.js';
import { runJobCommand } from '../engine/terminal.js';
import type { ParsedCommand } from '../grammar.js';
import { storeInputFromArgs } from './input.js';
import { storeJob } from './job.js';

export async function storeCommand(cmd: ParsedCommand): Promise<number> {
  if (cmd.spec.name !== 'store') {
    createOutput(cmd).result(EXIT_USAGE, { error: 'usage' }, `storeCommand called for ${cmd.spec.name}`);
    return EXIT_USAGE;
  }
  return runJobCommand(storeJob, storeInputFromArgs(cmd.input), {
    json: cmd.json,
    events: cmd.events,
    yes: cmd.yes,
    run: cmd.input.run === true,
  });
}

// `ytm store …`: the command function the CLI calls with the parsed words.

import { loadConfig } from '../../lib/config.js';
import { resolvePaths } from '../../lib/paths.js';
import { EXIT_USAGE } from '../engine/exit.js';
import { createOutput } from '../engine/output.js';
import { runJobCommand } from '../engine/terminal.js';
import type { ParsedCommand } from '../grammar.js';
import { pathFromCwd, storeInputFromArgs } from './input.js';
import { storeJob } from './job.js';

export async function storeCommand(cmd: ParsedCommand): Promise<number> {
  if (cmd.spec.name !== 'store') {
    createOutput(cmd).result(EXIT_USAGE, { error: 'usage' }, `storeCommand called for ${cmd.spec.name}`);
    return EXIT_USAGE;
  }
  const input = storeInputFromArgs(cmd.input);
  // The bot's children (--events) get workspace-relative paths from Slack; a person in a terminal may be in a folder.
  if (input.path !== null && !cmd.events) {
    const loaded = loadConfig();
    if (loaded.ok) input.path = pathFromCwd(input.path, resolvePaths(loaded.config).workspaceRoot, process.cwd());
  }
  return runJobCommand(storeJob, input, {
    json: cmd.json,
    events: cmd.events,
    yes: cmd.yes,
    run: cmd.input.run === true,
  });
}

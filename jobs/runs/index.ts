// `ytm runs archive …` / `ytm runs restore <archive_report.json> …`: the command function the CLI calls.
import { runJobCommand } from '../engine/terminal.js';
import type { ParsedCommand } from '../grammar.js';
import { runsArchiveInputFromArgs, runsRestoreInputFromArgs } from './input.js';
import { runsArchiveJob, runsRestoreJob } from './job.js';

export async function runsCommand(cmd: ParsedCommand): Promise<number> {
  const opts = { json: cmd.json, events: cmd.events, yes: cmd.yes, run: cmd.input.run === true };
  if (cmd.input.action === 'restore') return runJobCommand(runsRestoreJob, runsRestoreInputFromArgs(cmd.input), opts);
  return runJobCommand(runsArchiveJob, runsArchiveInputFromArgs(cmd.input), opts);
}

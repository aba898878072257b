// The command functions for jobs/cli.ts: `(cmd: ParsedCommand) => Promise<exit code>` per command name, and
// the hidden `ytm apply <planId>` (argument words after `apply`).
import { auditCommand } from '../audit/index.js';
import type { ParsedCommand } from '../grammar.js';
import { mirrorCommand } from '../mirror/index.js';
import { outboxCommand } from '../outbox/index.js';
import { plansCommand } from '../plans/index.js';
import { statusCommand } from '../status/index.js';
import { storeCommand } from '../store/index.js';

export { applyCommand } from './command.js';

export const JOB_COMMANDS: Readonly<Record<string, (cmd: ParsedCommand) => Promise<number>>> = {
  store: storeCommand,
  outbox: outboxCommand,
  mirror: mirrorCommand,
  plans: plansCommand,
  audit: auditCommand,
  status: statusCommand,
};

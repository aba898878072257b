// The command functions for jobs/cli.ts: `(cmd: ParsedCommand) => Promise<exit code>` per command name, and
// the hidden `ytm apply <planId>` (argument words after `apply`).
import { archiveCommand } from '../archive/index.js';
import { auditCommand } from '../audit/index.js';
import { fallbackCommand } from '../fallback/index.js';
import type { ParsedCommand } from '../grammar.js';
import { mirrorCommand } from '../mirror/index.js';
import { monitorCommand } from '../monitor/index.js';
import { outboxCommand } from '../outbox/index.js';
import { plansCommand } from '../plans/index.js';
import { relinkCommand } from '../relink/index.js';
import { runsCommand } from '../runs/index.js';
import { statusCommand } from '../status/index.js';
import { storeCommand } from '../store/index.js';
import { vaultCommand } from '../vault/index.js';

export { applyCommand } from './command.js';

export const JOB_COMMANDS: Readonly<Record<string, (cmd: ParsedCommand) => Promise<number>>> = {
  store: storeCommand,
  outbox: outboxCommand,
  relink: relinkCommand,
  mirror: mirrorCommand,
  plans: plansCommand,
  audit: auditCommand,
  status: statusCommand,
  vault: vaultCommand,
  fallback: fallbackCommand,
  runs: runsCommand,
  archive: archiveCommand,
  monitor: monitorCommand,
};

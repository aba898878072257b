// `ytm audit [--since …] [--json]`: the audit log, and whether its hash chain verifies.
import { readAudit, verifyAudit } from '../../lib/audit/log.js';
import { formatProblems } from '../../lib/config.js';
import { shortId } from '../../lib/plan/id.js';
import { loadContext } from '../engine/context.js';
import { EXIT_FAILED, EXIT_OK } from '../engine/exit.js';
import { createOutput } from '../engine/output.js';
import type { ParsedCommand } from '../grammar.js';

const DEFAULT_LIMIT = 200;

export async function auditCommand(cmd: ParsedCommand): Promise<number> {
  const out = createOutput(cmd);
  const loaded = loadContext();
  if (!loaded.ok) {
    out.result(EXIT_FAILED, { error: 'config', problems: loaded.problems }, formatProblems(loaded.problems));
    return EXIT_FAILED;
  }
  const stateDir = loaded.ctx.paths.stateDir;
  const since = typeof cmd.input.since === 'string' ? new Date(Date.parse(cmd.input.since)) : undefined;
  const entries = await readAudit(stateDir, { ...(since ? { since } : { limit: DEFAULT_LIMIT }) });
  const verification = await verifyAudit(stateDir);
  const chain = verification.ok
    ? `audit chain OK (${verification.lines} line(s))`
    : `audit chain BROKEN at line ${verification.brokenAt}: ${verification.reason}`;
  const lines = entries.map(
    (e) =>
      `${e.at}  #${e.seq}  ${e.kind.padEnd(15)} ${e.actor ?? '-'}${e.planId ? `  plan ${shortId(e.planId)}` : ''}  ${JSON.stringify(e.data).slice(0, 160)}`,
  );
  if (!since && entries.length === DEFAULT_LIMIT)
    lines.unshift(`(the last ${DEFAULT_LIMIT} entries; use --since for more)`);
  lines.push(chain);
  const code = verification.ok ? EXIT_OK : EXIT_FAILED;
  out.result(code, { entries, verification }, lines.join('\n'));
  return code;
}

// `ytm audit [--since …] [--json]`: the audit log, one readable line per entry, and whether it verifies: the
// hash chain line by line (every bad line), head.json, and the newest anchor in the job and doctor reports.

import type { AuditEntry } from '../../lib/audit/entry.js';
import { readAudit, verifyAudit } from '../../lib/audit/log.js';
import { formatProblems } from '../../lib/config.js';
import { shortId } from '../../lib/plan/id.js';
import type { JsonValue } from '../../lib/plan/types.js';
import { loadContext } from '../engine/context.js';
import { EXIT_FAILED, EXIT_OK } from '../engine/exit.js';
import { createOutput } from '../engine/output.js';
import type { ParsedCommand } from '../grammar.js';
import { newestAuditAnchor } from './anchors.js';

const DEFAULT_LIMIT = 200;

const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ');

/** An entry's data for people, never cut: `reason` first, then the other fields as key=value. */
function detail(data: JsonValue): string {
  if (data === null) return '';
  if (typeof data !== 'object' || Array.isArray(data)) return oneLine(JSON.stringify(data));
  const { reason, ...rest } = data;
  const parts = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  if (reason !== undefined) parts.unshift(typeof reason === 'string' ? reason : JSON.stringify(reason));
  return oneLine(parts.join('  '));
}

export function entryLine(e: AuditEntry): string {
  const plan = e.planId ? `plan ${shortId(e.planId)}` : '-';
  return `${e.at}  #${e.seq}  ${e.actor ?? '-'}  ${e.kind}  ${plan}  ${detail(e.data)}`.trimEnd();
}

export async function auditCommand(cmd: ParsedCommand): Promise<number> {
  // The verdict belongs with the listing: both go to stdout whatever the exit code.
  const out = createOutput(cmd, { out: process.stdout, err: process.stdout });
  const loaded = loadContext();
  if (!loaded.ok) {
    out.result(EXIT_FAILED, { error: 'config', problems: loaded.problems }, formatProblems(loaded.problems));
    return EXIT_FAILED;
  }
  const { stateDir, opsLogsDir } = loaded.ctx.paths;
  const since = typeof cmd.input.since === 'string' ? new Date(Date.parse(cmd.input.since)) : undefined;
  const entries = await readAudit(stateDir, { ...(since ? { since } : { limit: DEFAULT_LIMIT }) });
  const anchor = await newestAuditAnchor(opsLogsDir);
  const verification = await verifyAudit(stateDir, anchor ? { anchor } : {});
  const lines = entries.map(entryLine);
  if (!since && entries.length === DEFAULT_LIMIT)
    lines.unshift(`(the last ${DEFAULT_LIMIT} entries; use --since for more)`);
  const anchored = anchor
    ? `; holds seq ${anchor.seq} as recorded in ${anchor.source}`
    : '; no report with an audit anchor found';
  if (verification.ok) {
    lines.push(`audit chain OK (${verification.lines} line(s)${anchored})`);
  } else {
    lines.push(`audit chain BROKEN: ${verification.problems.length} problem(s)`);
    for (const p of verification.problems)
      lines.push(`  line ${p.line}${p.seq !== undefined ? ` (seq ${p.seq})` : ''}: ${p.reason}`);
  }
  const code = verification.ok ? EXIT_OK : EXIT_FAILED;
  out.result(code, { entries, verification }, lines.join('\n'));
  return code;
}

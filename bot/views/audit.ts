// `/ytm audit` in Slack: the newest entries as `ytm audit` prints them, then the chain's verdict; read-only.
import { entryLine } from '../../jobs/audit/index.js';
import type { AuditEntry } from '../../lib/audit/entry.js';
import type { AuditVerification } from '../../lib/audit/log.js';
import { type Block, clip, esc, linesWithinBudget, section } from './limits.js';

export interface AuditListing {
  entries: AuditEntry[];
  verification: AuditVerification;
}

export function isAuditListing(v: unknown): v is AuditListing {
  const o = v as Partial<AuditListing> | null;
  return !!o && Array.isArray(o.entries) && typeof o.verification?.ok === 'boolean';
}

export function auditView(l: AuditListing): { text: string; blocks: Block[] } {
  const v = l.verification;
  const verdict = v.ok
    ? `:white_check_mark: audit chain OK (${v.lines} line(s))`
    : `:x: *audit chain BROKEN*: ${v.problems.length} problem(s)\n${linesWithinBudget(
        v.problems.map(
          (p) => `line ${p.line}${p.seq !== undefined ? ` (seq ${p.seq})` : ''}: ${esc(clip(p.reason, 300))}`,
        ),
        800,
      )}`;
  // Newest first: what fits of a long log is the recent part.
  const lines = [...l.entries].reverse().map((e) => esc(entryLine(e)));
  const body =
    lines.length === 0
      ? 'No entries.'
      : `\`\`\`${linesWithinBudget(lines, 1_800, 0, 'older: `ytm audit` in a terminal lists them all')}\`\`\``;
  return {
    text: v.ok ? `audit: ${l.entries.length} entries, chain OK` : 'audit: chain BROKEN',
    blocks: [section(verdict), section(`*Newest first*\n${body}`)],
  };
}

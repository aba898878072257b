import { problemCount, shownExamples } from './findings.js';
import type { DoctorReport, StuckProbe } from './report.js';

const GIB = 1024 ** 3;
const LABEL = { ok: 'OK', warn: 'WARN', crit: 'CRITICAL', info: 'INFO' } as const;

/** The doctor report as terminal text: verdict first, then one block per finding. */
export function doctorText(r: DoctorReport): string {
  const crit = r.findings.filter((f) => f.severity === 'crit').length;
  const warn = r.findings.filter((f) => f.severity === 'warn').length;
  const lines = [
    `ytm doctor: ${LABEL[r.status]} — ${problemCount(r.findings)} problem(s) in ${crit} critical and ${warn} warning finding(s) on ${r.host} (${(r.durationMs / 1000).toFixed(1)} s)`,
    `  share     ${r.share.state}${r.share.root ? ` ${r.share.root}` : ''}${r.share.fsType ? ` (${r.share.fsType})` : ''}`,
    ...stuckLines(r.share.stuckProbes),
    `  disk      ${r.disk.freeBytes === null ? 'unknown' : `${(r.disk.freeBytes / GIB).toFixed(1)} GiB free`} (warn ≤ ${(r.disk.warnBytes / GIB).toFixed(0)} GiB, stop ≤ ${(r.disk.stopBytes / GIB).toFixed(0)} GiB)`,
    `  planning  ${r.planning.effective}${r.planning.fallback ? ' (fallback)' : ''}`,
    `  episodes  ${r.counts.episodes} in ${r.counts.channels} channel(s): ${r.counts.hot} Hot, ${r.counts.frozen} frozen, ${r.counts.posted} posted`,
    `  links     ${r.counts.symlinksScanned} scanned, ${r.counts.backupLinks} backup link(s)`,
  ];
  for (const f of r.findings) {
    lines.push('', `${LABEL[f.severity].padEnd(8)} ${f.code}  ${f.message}`);
    if (f.advice) lines.push(`         → ${f.advice}`);
    const shown = shownExamples(f);
    for (const e of shown) lines.push(`         - ${e}`);
    if (f.count > shown.length && shown.length > 0)
      lines.push(
        `         …and ${f.count - shown.length} more, all listed in ${r.reportPath ?? '`ytm doctor --json`'}`,
      );
  }
  if (r.findings.length === 0) lines.push('', 'No problems found.');
  lines.push('', `report: ${r.reportPath ?? '(not written)'}`);
  return lines.join('\n');
}

/** "1 stuck probe child": one line per stuck guard child, so an outage's leftovers are visible. */
export function stuckLines(stuck: readonly StuckProbe[]): string[] {
  if (stuck.length === 0) return [];
  return [
    `  stuck     ${stuck.length} probe child${stuck.length === 1 ? '' : 'ren'} stuck on the share (no new ones are started)`,
    ...stuck.map(
      (s) =>
        `            pid ${s.pid}${s.procState ? ` (state ${s.procState})` : ''} ${s.op} on ${s.root} since ${s.since}`,
    ),
  ];
}

// `/ytm doctor` as Block Kit: a headline verdict, one section per finding (count, message, examples,
// breakdown), a context line with host, time and where the full JSON report is, and a "Run doctor again"
// button. Stays inside Slack's limits whatever the report holds: ≤ 50 blocks, ≤ 3000 characters per
// section, ≤ 12,000 characters of blocks JSON in total; what does not fit is cut with "…and N more".
import { problemCount, shownExamples } from '../../jobs/doctor/findings.js';
import type { DoctorReport, Finding, Severity } from '../../jobs/doctor/report.js';
import {
  type Block,
  button,
  clip,
  context,
  divider,
  esc,
  header,
  jsonSize,
  linesWithinBudget,
  SLACK_LIMITS,
  section,
} from './limits.js';

export const DOCTOR_RERUN_ACTION = 'doctor.rerun';

const SEVERITY_ORDER: Record<Severity, number> = { crit: 0, warn: 1, info: 2 };
const SEVERITY_ICON: Record<Severity, string> = {
  crit: ':red_circle:',
  warn: ':large_yellow_circle:',
  info: ':information_source:',
};

const VERDICT: Record<DoctorReport['status'], string> = {
  ok: ':large_green_circle: Storage is healthy',
  warn: ':large_yellow_circle: Storage needs attention',
  crit: ':red_circle: Storage has critical problems',
};

/** Total blocks JSON we allow ourselves; a margin under Slack's ~12k (and the undocumented 13.2k). */
const JSON_BUDGET = 11_000;
/** Per-finding text budget, so one huge finding cannot starve the others. */
const FINDING_TEXT_BUDGET = 1_500;

export interface DoctorView {
  text: string;
  blocks: Block[];
}

export function formatBytes(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return 'unknown';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

export function verdictLine(r: Pick<DoctorReport, 'status' | 'exitCode' | 'findings'>): string {
  if (r.exitCode === 3) return ':warning: Doctor could not check everything';
  // Items, not finding kinds: 13 broken links are 13 problems; one cause reported twice counts once.
  const problems = problemCount(r.findings);
  return `${VERDICT[r.status]}${problems > 0 ? ` (${problems} problem${problems === 1 ? '' : 's'})` : ''}`;
}

/** Where the items a card leaves out are: the saved report, or the command that prints them. */
function fullListNoun(reportPath: string | null): string {
  return reportPath
    ? `more, all listed in the report \`${esc(clip(reportPath, 300))}\``
    : 'more, all listed by `ytm doctor --json` on the host';
}

function findingText(f: Finding, reportPath: string | null): string {
  const head = `${SEVERITY_ICON[f.severity]} *${esc(f.code)}* · ${f.count} — ${esc(clip(f.message, 400))}`;
  const lines: string[] = [];
  if (f.breakdown && Object.keys(f.breakdown).length > 0) {
    const parts = Object.entries(f.breakdown)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${esc(k)}: ${v}`);
    lines.push(`_by area:_ ${clip(parts.join(', '), 300)}`);
  }
  if (f.advice) lines.push(`_to do:_ ${esc(clip(f.advice, 300))}`);
  const shown = shownExamples(f);
  const examples = shown.map((e) => `• \`${esc(clip(e.replace(/`/g, "'"), 200))}\``);
  const unlisted = Math.max(0, f.count - shown.length);
  const budget = FINDING_TEXT_BUDGET - head.length - lines.join('\n').length - 2;
  const exampleText =
    examples.length > 0 || unlisted > 0 ? linesWithinBudget(examples, budget, unlisted, fullListNoun(reportPath)) : '';
  return clip([head, ...lines, exampleText].filter(Boolean).join('\n'), SLACK_LIMITS.sectionText);
}

function summaryText(r: DoctorReport): string {
  const share =
    r.share.state === 'up' ? 'up' : `*${r.share.state}*${r.share.reason ? ` (${esc(clip(r.share.reason, 200))})` : ''}`;
  const disk = `${formatBytes(r.disk.freeBytes)} free on ${esc(clip(r.disk.path, 200))} (warn ≤ ${formatBytes(r.disk.warnBytes)}, stop ≤ ${formatBytes(r.disk.stopBytes)})`;
  const planning = r.planning.fallback ? `*fallback* → ${esc(clip(r.planning.effective, 200))}` : 'as configured';
  const c = r.counts;
  return [
    `*Share:* ${share}`,
    `*Disk:* ${disk}`,
    `*Planning:* ${planning}`,
    `*Scanned:* ${c.channels} channels, ${c.episodes} episodes (${c.hot} Hot, ${c.posted} posted, ${c.frozen} frozen), ${c.symlinksScanned} links`,
  ].join('\n');
}

export function doctorReportView(r: DoctorReport, opts: { requestedBy?: string } = {}): DoctorView {
  const findings = [...r.findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.count - a.count || a.code.localeCompare(b.code),
  );
  const when = Math.floor(Date.parse(r.generatedAt) / 1000);
  const time = Number.isFinite(when)
    ? `<!date^${when}^{date_short_pretty} {time_secs}|${esc(r.generatedAt)}>`
    : esc(r.generatedAt);
  const where = r.reportPath
    ? `full report: \`${esc(clip(r.reportPath, 500))}\``
    : 'full report: `ytm doctor --json` on the host';
  const tailBlocks: Block[] = [
    context(
      `:desktop_computer: ${esc(clip(r.host, 100))}`,
      `:clock3: ${time} · ${(r.durationMs / 1000).toFixed(1)} s`,
      where,
      ...(opts.requestedBy ? [`asked by <@${esc(opts.requestedBy)}>`] : []),
    ),
    { type: 'actions', elements: [button('Run doctor again', DOCTOR_RERUN_ACTION, 'doctor')] },
  ];
  const blocks: Block[] = [header(verdictLine(r)), section(summaryText(r)), divider()];
  if (findings.length === 0)
    blocks.push(
      section(
        ':white_check_mark: No findings: share, disk, links, vault, planning, mirror, outbox and Hot drafts all look fine.',
      ),
    );

  // Fixed blocks: the ones above, the "…and N more" section, the tail.
  const maxFindingBlocks = SLACK_LIMITS.messageBlocks - blocks.length - 1 - tailBlocks.length;
  let used = jsonSize([...blocks, ...tailBlocks]) + 300; // room for the "…and N more" section
  let shown = 0;
  for (const f of findings) {
    const b = section(findingText(f, r.reportPath));
    const size = jsonSize([b]) + 1;
    if (shown >= maxFindingBlocks || used + size > JSON_BUDGET) break;
    blocks.push(b);
    used += size;
    shown++;
  }
  const hidden = findings.slice(shown);
  if (hidden.length > 0) {
    const codes = clip(hidden.map((f) => `${f.code} (${f.count})`).join(', '), 200);
    blocks.push(
      section(
        `…and ${hidden.length} more finding${hidden.length === 1 ? '' : 's'}: ${esc(codes)}. See the full report.`,
      ),
    );
  }
  blocks.push(...tailBlocks);

  const codes = findings.map((f) => `${f.code}×${f.count}`).join(', ');
  const text = clip(
    `${verdictLine(r).replace(/:[a-z_]+: /, '')}${codes ? `: ${codes}` : ''} (${r.host})`,
    SLACK_LIMITS.fallbackText,
  );
  return { text, blocks };
}

/** A doctor run that produced no report (timeout, crash, CLI missing): say what happened, offer a retry. */
export function doctorFailureView(what: string, detail: string): DoctorView {
  const text = `Doctor did not finish: ${what}`;
  return {
    text,
    blocks: [
      header(':warning: Doctor did not finish'),
      section(`${esc(clip(what, 500))}${detail ? `\n\`\`\`${esc(clip(detail.replace(/`/g, "'"), 2000))}\`\`\`` : ''}`),
      { type: 'actions', elements: [button('Run doctor again', DOCTOR_RERUN_ACTION, 'doctor')] },
    ],
  };
}

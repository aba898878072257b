import { adviceFor } from './advice.js';
import { type DoctorStatus, FINDING_SEVERITY, type Finding, type FindingCode, MAX_EXAMPLES } from './report.js';

export function finding(
  code: FindingCode,
  count: number,
  message: string,
  examples: string[] = [],
  breakdown?: Record<string, number>,
): Finding {
  const advice = adviceFor(code, examples);
  return {
    code,
    severity: FINDING_SEVERITY[code],
    count,
    message,
    examples,
    ...(breakdown ? { breakdown } : {}),
    ...(advice ? { advice } : {}),
  };
}

/** Counts a finding's items and keeps every one (the JSON report lists them all; text and Slack show a few). */
export class Tally {
  count = 0;
  readonly examples: string[] = [];
  add(example: string): void {
    this.count += 1;
    this.examples.push(example);
  }
}

/**
 * The few items text and Slack show: taken in turn from each area of the breakdown (`video/input`, `video/runs`,
 * …), so an area with many items cannot hide another one.
 */
export function shownExamples(f: Finding, max = MAX_EXAMPLES): string[] {
  const areas = Object.keys(f.breakdown ?? {});
  if (areas.length < 2) return f.examples.slice(0, max);
  const areaOf = (e: string) => areas.find((a) => e === a || e.startsWith(`${a}/`)) ?? '';
  const queues = new Map<string, string[]>();
  for (const e of f.examples) queues.set(areaOf(e), [...(queues.get(areaOf(e)) ?? []), e]);
  const shown: string[] = [];
  while (shown.length < Math.min(max, f.examples.length)) {
    for (const q of queues.values()) {
      const next = q.shift();
      if (next !== undefined && shown.length < max) shown.push(next);
    }
  }
  return shown;
}

/** The episode an item of a HOT_* finding is about (`CH02-043: …`). */
const episodeOf = (item: string) => /^(CH\d{2}-\d{3})\b/.exec(item)?.[1];

/** Findings that are one cause told twice: a broken capcut_draft link whose draft is the missing one. */
const SAME_CAUSE: [FindingCode, FindingCode, string][] = [
  ['HOT_RUN_SYMLINK_BROKEN', 'HOT_DRAFT_MISSING', 'their draft is the one HOT_DRAFT_MISSING reports: one cause'],
];

/** Marks the items of a finding that another finding already reports for the same episode. */
export function relateSameCause(findings: Finding[]): Finding[] {
  return findings.map((f) => {
    const rule = SAME_CAUSE.find(([code]) => code === f.code);
    const other = rule && findings.find((o) => o.code === rule[1]);
    if (!rule || !other) return f;
    const theirs = new Set(other.examples.map(episodeOf).filter(Boolean));
    const items = [...new Set(f.examples.map(episodeOf))].filter((e): e is string => !!e && theirs.has(e));
    if (items.length === 0) return f;
    return {
      ...f,
      message: `${f.message}; ${items.length === f.count ? 'all' : items.length} of them: ${rule[2]}`,
      sameCause: { code: rule[1], items },
    };
  });
}

/** Problems as a person counts them: every item of every warn/crit finding, one cause counted once. */
export function problemCount(findings: readonly Finding[]): number {
  return findings
    .filter((f) => f.severity !== 'info')
    .reduce((n, f) => n + f.count - (f.sameCause?.items.length ?? 0), 0);
}

export function overallStatus(findings: Finding[]): DoctorStatus {
  if (findings.some((f) => f.severity === 'crit')) return 'crit';
  if (findings.some((f) => f.severity === 'warn')) return 'warn';
  return 'ok';
}

/** crit beats could-not-check (it is the more urgent news); could-not-check beats warn. */
export function exitCodeFor(status: DoctorStatus, incomplete: boolean): 0 | 1 | 2 | 3 {
  if (status === 'crit') return 2;
  if (incomplete) return 3;
  return status === 'warn' ? 1 : 0;
}

import { type DoctorStatus, FINDING_SEVERITY, type Finding, type FindingCode, MAX_EXAMPLES } from './report.js';

export function finding(
  code: FindingCode,
  count: number,
  message: string,
  examples: string[] = [],
  breakdown?: Record<string, number>,
): Finding {
  return {
    code,
    severity: FINDING_SEVERITY[code],
    count,
    message,
    examples: examples.slice(0, MAX_EXAMPLES),
    ...(breakdown ? { breakdown } : {}),
  };
}

/** Collects examples without keeping more than needed, whatever the count. */
export class Tally {
  count = 0;
  readonly examples: string[] = [];
  add(example: string): void {
    this.count += 1;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(example);
  }
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

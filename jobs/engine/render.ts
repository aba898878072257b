// Readable text for a plan and for an apply summary (the terminal; Slack renders the same data as cards).
import { shortId } from '../../lib/plan/id.js';
import type { Plan } from '../../lib/plan/types.js';
import type { ApplySummary, Job } from './types.js';

export function planText(
  job: Pick<Job, 'name' | 'describeAction'>,
  plan: Plan,
  planId: string,
  mode: 'dry-run' | 'run',
): string {
  const how =
    plan.refusals.length > 0
      ? ': REFUSED, nothing was changed'
      : mode === 'dry-run'
        ? ' (dry-run: nothing was changed; add --run to apply)'
        : '';
  const lines = [`${job.name}: ${plan.summary}`, `plan ${shortId(planId)}${how}`];
  plan.actions.forEach((a, i) => {
    lines.push(`  ${i + 1}. ${job.describeAction(a)}`);
  });
  for (const w of plan.warnings) lines.push(`  warning: ${w}`);
  for (const r of plan.refusals) lines.push(`  REFUSED ${r.code}: ${r.message}`);
  return lines.join('\n');
}

const STATUS_WORDS: Record<string, string> = { up_to_date: 'up to date' };

/** The result of an apply; `warnings` are the plan's own (files it leaves alone and why), kept from the dry run. */
export function applyText(summary: ApplySummary, warnings: readonly string[] = []): string {
  const head =
    summary.state === 'refused' || summary.state === 'stale'
      ? `${summary.job}: ${summary.state === 'stale' ? 'STALE' : 'REFUSED'}: ${summary.reason ?? ''}`
      : `${summary.job}: ${summary.state} (${summary.counts.done} done, ${summary.counts.up_to_date} up to date, ${summary.counts.failed} failed, ${summary.counts.skipped} skipped)`;
  const lines = [head];
  for (const o of summary.outcomes) {
    const word = STATUS_WORDS[o.status] ?? o.status;
    // "up to date" once: the outcome's own message says it again only when it adds something.
    const message = o.message && o.message !== word ? ` — ${o.message}` : '';
    lines.push(`  ${o.index + 1}. ${word}: ${o.label}${message}`);
  }
  for (const w of warnings) lines.push(`  warning: ${w}`);
  if (summary.report) lines.push(`  report: ${summary.report}`);
  if (summary.reason && summary.state !== 'refused' && summary.state !== 'stale')
    lines.push(`  note: ${summary.reason}`);
  return lines.join('\n');
}

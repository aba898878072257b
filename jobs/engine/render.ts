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

export function applyText(summary: ApplySummary): string {
  const head =
    summary.state === 'refused' || summary.state === 'stale'
      ? `${summary.job}: ${summary.state === 'stale' ? 'STALE' : 'REFUSED'}: ${summary.reason ?? ''}`
      : `${summary.job}: ${summary.state} (${summary.counts.done} done, ${summary.counts.up_to_date} up to date, ${summary.counts.failed} failed, ${summary.counts.skipped} skipped)`;
  const lines = [head];
  for (const o of summary.outcomes)
    lines.push(`  ${o.index + 1}. ${o.status}: ${o.label}${o.message ? ` — ${o.message}` : ''}`);
  if (summary.report) lines.push(`  report: ${summary.report}`);
  if (summary.reason && summary.state !== 'refused' && summary.state !== 'stale')
    lines.push(`  note: ${summary.reason}`);
  return lines.join('\n');
}

// The plan card after the first valid click and afterwards: approved/running (with throttled progress), the
// final result (each file's outcome and the report), stale (with Re-plan), cancelled, expired, interrupted.
// No Approve/Cancel buttons in any of these: a plan runs at most once.
import type { ApplySummary } from '../../jobs/engine/types.js';
import type { ApprovalRecord } from '../../lib/approvals/record.js';
import { shortId } from '../../lib/plan/id.js';
import { type Block, button, clip, context, esc, linesWithinBudget, section } from './limits.js';
import { fitCard, PLAN_REPLAN_ACTION, planBodyBlocks } from './plan-card.js';

type CardRecord = Pick<ApprovalRecord, 'planId' | 'plan' | 'requestedBy'>;

const OUTCOME_ICON: Record<string, string> = {
  done: ':white_check_mark:',
  up_to_date: ':heavy_equals_sign:',
  failed: ':x:',
  skipped: ':fast_forward:',
};
const OUTCOME_WORD: Record<string, string> = {
  done: 'copied and verified',
  up_to_date: 'up to date',
  failed: 'FAILED',
  skipped: 'skipped',
};
const STATE_LINE: Record<string, string> = {
  succeeded: ':white_check_mark: *Done*',
  partial: ':warning: *Partly done* — some actions failed',
  failed: ':x: *Failed*',
  cancelled: ':no_entry_sign: *Cancelled while running*',
  refused: ':no_entry: *Not run*',
};

const footer = (rec: CardRecord, extra: string[] = []): Block =>
  context(`Requested by <@${rec.requestedBy}>`, `plan \`${shortId(rec.planId)}\``, ...extra);

function statusCard(rec: CardRecord, status: string, more: Block[] = [], extra: string[] = []) {
  const blocks = [...planBodyBlocks(rec, false), section(status), ...more, footer(rec, extra)];
  return fitCard({ text: `Plan ${shortId(rec.planId)}: ${status.replace(/[*:]/g, '')}`, blocks });
}

export function runningView(rec: CardRecord, approvedBy: readonly string[], progress?: string) {
  const who = approvedBy.map((u) => `<@${u}>`).join(' and ');
  const more = progress ? [context(`:hourglass_flowing_sand: ${esc(clip(progress, 500))}`)] : [];
  return statusCard(rec, `:arrow_forward: Approved by ${who}, running…`, more);
}

export function resultView(rec: CardRecord, summary: ApplySummary, approvedBy: readonly string[]) {
  if (summary.state === 'stale') return staleView(rec, summary.reason);
  const lines = summary.outcomes.map(
    (o) =>
      `${OUTCOME_ICON[o.status] ?? '•'} ${esc(clip(o.label, 300))} — ${OUTCOME_WORD[o.status] ?? o.status}${
        o.status === 'failed' ? `: ${esc(clip(o.message, 300))}` : ''
      }`,
  );
  const counts = Object.entries(summary.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${OUTCOME_WORD[k] ?? k}`)
    .join(', ');
  const head = `${STATE_LINE[summary.state] ?? `*${summary.state}*`}${counts ? ` (${counts})` : ''}${
    summary.reason && summary.state !== 'succeeded' ? `: ${esc(clip(summary.reason, 400))}` : ''
  }`;
  const more: Block[] = [];
  if (lines.length > 0) more.push(section(linesWithinBudget(lines, 2_800)));
  if (summary.report) more.push(context(`Report: \`${esc(clip(summary.report, 400))}\``));
  return statusCard(rec, head, more, [`approved by ${approvedBy.map((u) => `<@${u}>`).join(', ')}`]);
}

export function staleView(rec: CardRecord, reason?: string) {
  // The reason names each changed file or fact in words (jobs/engine/stale-words.ts); the keys are for machines.
  const words = reason ?? 'the plan is stale, nothing was done. Re-plan to see what would happen now.';
  const status = `:warning: ${esc(clip(words.charAt(0).toUpperCase() + words.slice(1), 1_500))}`;
  const actions: Block = {
    type: 'actions',
    block_id: `stale.${shortId(rec.planId)}`,
    elements: [button('Re-plan', PLAN_REPLAN_ACTION, rec.planId, 'primary')],
  };
  return statusCard(rec, status, [actions]);
}

export const cancelledView = (rec: CardRecord, by: string) =>
  statusCard(rec, `:no_entry_sign: Cancelled by <@${by}>, not run.`);

export const expiredView = (rec: CardRecord & { expiresAt: string }) =>
  statusCard(rec, `:hourglass: Expired, not run (the approval window closed at ${esc(rec.expiresAt)}).`);

export const interruptedView = (rec: CardRecord, description: string) =>
  statusCard(
    rec,
    `:octagonal_sign: *Interrupted*: the run stopped before it finished (the bot or its job was stopped). What was done: ${esc(
      clip(description, 1_500),
    )}.\nThe plan is not run again automatically; run the command again to plan what is left.`,
  );

export const failedToRunView = (rec: CardRecord, what: string, tail: string) =>
  statusCard(
    rec,
    `:x: *Could not run the plan*: ${esc(clip(what, 500))}`,
    tail ? [section(`\`\`\`${clip(tail.replace(/`/g, "'"), 2_000)}\`\`\``)] : [],
  );

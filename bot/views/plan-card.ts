// The plan card: what an approver reads before pressing Approve. Header (job and target), the plan's summary,
// where the files go (share up, or "wait in the local outbox"), one line per action (cut with "…and N more";
// the full list goes to a thread reply), warnings, refusals and why, who asked, the short plan hash and the
// expiry. Buttons: Approve (value = plan id; a `confirm` dialog on destructive plans) and Cancel. A plan with
// refusals, or one nobody may approve (no approvers configured: fail closed), gets no Approve button.
import { lookupJob } from '../../jobs/apply/registry.js';
import { shortId } from '../../lib/plan/id.js';
import type { Plan } from '../../lib/plan/types.js';
import {
  type Block,
  button,
  clip,
  context,
  esc,
  header,
  jsonSize,
  linesWithinBudget,
  SLACK_LIMITS,
  section,
} from './limits.js';

export const PLAN_APPROVE_ACTION = 'plan.approve';
export const PLAN_CANCEL_ACTION = 'plan.cancel';
export const PLAN_REPLAN_ACTION = 'plan.replan';

/** Action lines shown on the card itself; the rest go to the thread. */
export const CARD_ACTION_LINES = 15;
const ACTIONS_TEXT_BUDGET = 2_500;
/** Thread reply: lines per section, and sections per message (well inside 50 blocks and ~12k JSON). */
const THREAD_SECTION_BUDGET = 2_800;
const THREAD_MAX_SECTIONS = 3;

export interface PlanCardInput {
  planId: string;
  plan: Plan;
  requestedBy: string;
  /** ISO instant; absent for a plan that was never stored (one with refusals). */
  expiresAt?: string;
  approvers: readonly string[];
  /** Distinct approvals this plan needs (YTM_DESTRUCTIVE_APPROVALS for destructive plans, else 1). */
  needed: number;
  /** The requester may not approve (a destructive plan under YTM_TWO_PERSON_RULE). */
  requesterExcluded: boolean;
  /** Users who already approved (when more than one approval is needed). */
  approvedBy?: readonly string[];
  /** The words the plan came from, shown so a reader knows what was asked. */
  command: string;
}

const mention = (id: string) => (/^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : `\`${esc(id)}\``);

function field(obj: unknown, key: string): unknown {
  return obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined;
}

/** The job and what it works on, e.g. "store · CH02-043" or "outbox · flush". */
export function planTitle(plan: Plan): string {
  const parts = ['episode', 'path', 'action', 'channel']
    .map((k) => field(plan.input, k))
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
  return `${plan.job}${parts.length > 0 ? ` · ${parts.join(' ')}` : ''}`;
}

/** One readable line per action, from the job's own describer. */
export function actionLines(plan: Plan): string[] {
  const describe = lookupJob(plan.job)?.describeAction ?? ((a: unknown) => JSON.stringify(a).slice(0, 200));
  return plan.actions.map((a) => `• ${esc(clip(describe(a), 400))}`);
}

/** Where the files go: the share, or the local outbox while the share is down. */
export function destinationLine(plan: Plan): string {
  const share = field(plan.preconditions, 'share');
  const state = field(share, 'state');
  if (share === undefined) return '';
  if (field(share, 'offline') === true) {
    return `:outbox_tray: The share is *${esc(String(state ?? 'down'))}*: files will wait in the local outbox (\`${esc(String(field(share, 'effectiveRoot') ?? '?'))}\`) until it is back.`;
  }
  return `:white_check_mark: The share is *up*: files go to \`${esc(String(field(share, 'base') ?? field(share, 'effectiveRoot') ?? '?'))}\`.`;
}

/** What a destructive plan replaces or removes, for the confirm dialog (≤ 300 characters). */
export function destructiveSummary(plan: Plan): string {
  let links = 0;
  let moves = 0;
  let replaced = 0;
  for (const a of plan.actions) {
    const after = field(a, 'after');
    if (after === 'symlink-back') links++;
    if (after === 'move') moves++;
    if (field(a, 'destState') === 'different' && field(a, 'overwrite') === true) replaced++;
  }
  const parts = [
    links > 0 ? `${links} source file(s) will be replaced by links to the share` : '',
    moves > 0 ? `${moves} source file(s) will be removed after their copy is verified` : '',
    replaced > 0 ? `${replaced} file(s) on the share will be overwritten` : '',
  ].filter(Boolean);
  // Store plans say what happens to sources; every other destructive job (mirror, archive, restore…) by its summary.
  if (parts.length === 0) return clip(`This plan replaces or removes files: ${plan.summary}`, 300);
  return clip(`${parts.join('; ')}. Each source is touched only after its copy is verified by SHA-256.`, 300);
}

function approveButton(input: PlanCardInput): Block {
  const b = button(
    input.plan.destructive ? 'Approve (destructive)' : 'Approve',
    PLAN_APPROVE_ACTION,
    input.planId,
    input.plan.destructive ? 'danger' : 'primary',
  );
  if (!input.plan.destructive) return b;
  return {
    ...b,
    confirm: {
      title: { type: 'plain_text', text: clip(`Apply ${planTitle(input.plan)}?`, 100) },
      text: { type: 'plain_text', text: destructiveSummary(input.plan) },
      confirm: { type: 'plain_text', text: 'Approve and run' },
      deny: { type: 'plain_text', text: 'Back' },
      style: 'danger',
    },
  };
}

function slackDate(iso: string): string {
  const epoch = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(epoch) ? `<!date^${epoch}^{date_short_pretty} {time}|${iso}>` : esc(iso);
}

/** Blocks shared by every state of the card: header, summary, destination and the action list. */
export function planBodyBlocks(input: Pick<PlanCardInput, 'plan' | 'planId'>, withActions = true): Block[] {
  const { plan } = input;
  const blocks: Block[] = [header(`Plan: ${planTitle(plan)}`), section(esc(plan.summary))];
  const dest = destinationLine(plan);
  if (dest) blocks.push(section(dest));
  if (withActions && plan.actions.length > 0) {
    const lines = actionLines(plan);
    const shown = lines.slice(0, CARD_ACTION_LINES);
    const rest = lines.length - shown.length;
    const text = linesWithinBudget(shown, ACTIONS_TEXT_BUDGET, rest, 'more (full list in the thread)');
    blocks.push(section(`*What happens to each file (${lines.length}):*\n${text}`));
  }
  return blocks;
}

export function planCardView(input: PlanCardInput): { text: string; blocks: Block[] } {
  const { plan } = input;
  const blocks = planBodyBlocks(input);
  if (plan.warnings.length > 0) {
    const lines = plan.warnings.map((w) => `• ${esc(clip(w, 400))}`);
    blocks.push(section(`:warning: *Warnings:*\n${linesWithinBudget(lines, 1_500)}`));
  }
  const refused = plan.refusals.length > 0;
  if (refused) {
    const lines = plan.refusals.map((r) => `• \`${esc(r.code)}\` ${esc(clip(r.message, 400))}`);
    blocks.push(
      section(
        `:no_entry: *Refused — this plan cannot be approved:*\n${linesWithinBudget(lines, 2_000)}\nFix the cause and run \`/ytm ${esc(input.command)}\` again.`,
      ),
    );
  }
  const noApprovers = input.approvers.length === 0;
  if (!refused && noApprovers) {
    blocks.push(
      section(
        ':lock: *This plan cannot be approved: no approvers are configured.* An admin sets `YTM_SLACK_APPROVERS` ' +
          'to a comma-separated list of Slack user IDs (e.g. `YTM_SLACK_APPROVERS=U012ABCDEF,U034GHIJKL`) and ' +
          'restarts the bot; then run the command again.',
      ),
    );
  }
  if (!refused && !noApprovers) {
    const who = input.approvers.map(mention).join(', ');
    const votes = input.approvedBy ?? [];
    const rule = [
      input.requesterExcluded
        ? ' This plan is destructive and the two-person rule is on: the requester cannot approve it.'
        : '',
      input.needed > 1 ? ` It needs ${input.needed} distinct approvals.` : '',
    ].join('');
    const progress =
      votes.length > 0
        ? ` Approved so far by ${votes.map(mention).join(', ')} (${votes.length} of ${input.needed}); waiting for another approver.`
        : '';
    blocks.push(context(`Approvers: ${clip(who, 1_500)}.${rule}${progress}`));
  }
  blocks.push(
    context(
      `Requested by ${mention(input.requestedBy)}`,
      `\`/ytm ${esc(clip(input.command, 300))}\``,
      `plan \`${shortId(input.planId)}\``,
      input.expiresAt ? `expires ${slackDate(input.expiresAt)}` : 'not stored (refused)',
      plan.destructive ? ':rotating_light: destructive' : 'not destructive',
    ),
  );
  if (!refused && input.expiresAt) {
    const buttons = noApprovers ? [] : [approveButton(input)];
    buttons.push(button('Cancel', PLAN_CANCEL_ACTION, input.planId));
    blocks.push({ type: 'actions', block_id: `plan.${shortId(input.planId)}`, elements: buttons });
  }
  return fitCard({ text: `Plan ${shortId(input.planId)}: ${plan.summary}`, blocks });
}

/** Last line of defence: drop middle blocks (never the header or the buttons) until the card fits. */
export function fitCard(view: { text: string; blocks: Block[] }): { text: string; blocks: Block[] } {
  const blocks = [...view.blocks];
  while ((jsonSize(blocks) > SLACK_LIMITS.messageBlocksJson - 500 || blocks.length > 50) && blocks.length > 3) {
    blocks.splice(blocks.length - 3, 1);
  }
  return { text: clip(view.text, SLACK_LIMITS.fallbackText), blocks };
}

/** The full action list for the thread reply; null when everything already fits on the card. */
export function fullListView(plan: Plan): { text: string; blocks: Block[] } | null {
  const lines = actionLines(plan);
  if (lines.length <= CARD_ACTION_LINES) return null;
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length && blocks.length < THREAD_MAX_SECTIONS) {
    const chunk: string[] = [];
    let used = 0;
    while (i < lines.length && used + (lines[i] as string).length + 1 <= THREAD_SECTION_BUDGET) {
      chunk.push(lines[i] as string);
      used += (lines[i] as string).length + 1;
      i++;
    }
    if (chunk.length === 0) {
      chunk.push(clip(lines[i] as string, THREAD_SECTION_BUDGET));
      i++;
    }
    blocks.push(section(chunk.join('\n')));
  }
  if (i < lines.length) {
    blocks.push(context(`…and ${lines.length - i} more; \`ytm plans --json\` in a terminal shows the whole plan.`));
  }
  return { text: `Full list: ${lines.length} action(s)`, blocks };
}

// One Approve click. Order matters: policy first (an unauthorised click changes nothing and is audited), then
// the vote as a compare-and-set in the durable store (exactly one caller ever sees `approved: true`, across
// double clicks, redeliveries, a second approver and restarts), then the card loses its buttons at once, and
// only then does the apply child start.
import type { WebClient } from '@slack/web-api';
import { approvalsNeeded, canApprove } from '../../lib/approvals/policy.js';
import type { ApprovalRecord } from '../../lib/approvals/record.js';
import { getPlan, recordApproval } from '../../lib/approvals/store.js';
import { isPlanId, shortId } from '../../lib/plan/id.js';
import { audit, type BotDeps } from '../deps.js';
import { reply } from '../reply.js';
import { planCardView } from '../views/plan-card.js';
import { expiredView, runningView } from '../views/plan-status.js';
import { updateCard } from './card.js';
import { loadRequest } from './requests.js';
import { runApproved } from './run-apply.js';

export interface Click {
  planId: string;
  userId: string;
  channelId: string | undefined;
  /** ts of the message the button was on. */
  messageTs: string | undefined;
  responseUrl: string | undefined;
}

export function tellClicker(deps: BotDeps, client: WebClient, click: Click, text: string): Promise<unknown> {
  return reply(
    client,
    { responseUrl: click.responseUrl, channelId: click.channelId, userId: click.userId },
    { text },
    { inChannel: false },
    deps.log,
  ).catch((err: unknown) => deps.log.warn({ err: (err as Error).message }, 'ephemeral answer failed'));
}

/**
 * Whether the click came from this plan's card: the message recorded on the plan, or, for a card that went out
 * through a response_url (no ts known), the channel the plan was requested in.
 */
export function isOnPlanCard(rec: ApprovalRecord, click: Click): boolean {
  if (rec.slack) return click.channelId === rec.slack.channel && click.messageTs === rec.slack.ts;
  return click.channelId !== undefined && click.channelId === rec.requestedIn;
}

/** Refuses (ephemerally, audited) a plan button that is not on the plan's card; true when it refused. */
export async function refusedOffCard(
  deps: BotDeps,
  client: WebClient,
  click: Click,
  rec: ApprovalRecord,
  what: 'approve' | 'cancel',
): Promise<boolean> {
  if (isOnPlanCard(rec, click)) return false;
  await audit(deps, 'plan.click_refused', click.userId, {
    planId: rec.planId,
    what,
    reason: 'not_the_plan_card',
    channel: click.channelId ?? null,
    ts: click.messageTs ?? null,
  });
  deps.log.warn(
    { planId: rec.planId, user: click.userId, what, ts: click.messageTs },
    'click off the plan card refused',
  );
  await tellClicker(
    deps,
    client,
    click,
    `:no_entry: This button is not on the card of plan \`${shortId(rec.planId)}\`; only the plan's own card can ${what} it. Nothing was done.`,
  );
  return true;
}

const mention = (u: string) => (/^[UW][A-Z0-9]+$/.test(u) ? `<@${u}>` : `\`${u}\``);

/** Why a plan in this state cannot be approved, in words for the clicker. */
export function notAwaitingText(rec: ApprovalRecord): string {
  const by = [...rec.history].reverse().find((h) => h.to === rec.state)?.by;
  const approvers = rec.approvals.map((a) => mention(a.user)).join(', ');
  switch (rec.state) {
    case 'approved':
    case 'running':
    case 'succeeded':
    case 'failed':
    case 'partial':
      return `This plan was already approved by ${approvers || 'someone else'}; it runs once (now ${rec.state}).`;
    case 'cancelled':
      return `This plan was cancelled${by ? ` by ${mention(by)}` : ''}; it was not run. Run the command again for a new plan.`;
    case 'expired':
      return 'This plan expired and was not run. Run the command again for a new plan.';
    case 'stale':
      return 'This plan is stale (something changed since the dry run); use Re-plan.';
    default:
      return `This plan is ${rec.state}; it cannot be approved.`;
  }
}

export async function handleApprove(deps: BotDeps, client: WebClient, click: Click): Promise<void> {
  const rec = isPlanId(click.planId) ? await getPlan(deps.stateDir, click.planId) : undefined;
  if (!rec) {
    await tellClicker(deps, client, click, ':question: No such plan (it may have been made on another machine).');
    return;
  }
  if (await refusedOffCard(deps, client, click, rec, 'approve')) return;
  const twoPersonRule = deps.config.YTM_TWO_PERSON_RULE;
  const policy = canApprove({
    user: click.userId,
    requester: rec.requestedBy,
    approvers: deps.config.YTM_SLACK_APPROVERS,
    destructive: rec.plan.destructive,
    twoPersonRule,
    alreadyApproved: rec.approvals.map((a) => a.user),
  });
  // Who is clicking is checked before what state the plan is in, so every click by someone who may not
  // approve is refused and audited (DESIGN), whatever became of the plan.
  const notAnApprover = !policy.ok && (policy.code === 'NO_APPROVERS' || policy.code === 'NOT_AN_APPROVER');
  if (!notAnApprover && rec.state !== 'awaiting_approval') {
    await tellClicker(deps, client, click, `:information_source: ${notAwaitingText(rec)}`);
    return;
  }
  if (!policy.ok) {
    await audit(deps, 'plan.approve_refused', click.userId, {
      planId: rec.planId,
      code: policy.code,
      channel: click.channelId ?? null,
    });
    deps.log.warn({ planId: rec.planId, user: click.userId, code: policy.code }, 'approval refused');
    await tellClicker(deps, client, click, `:no_entry: ${policy.reason} Nothing was run.`);
    return;
  }
  const needed = approvalsNeeded({
    destructive: rec.plan.destructive,
    destructiveApprovals: deps.config.YTM_DESTRUCTIVE_APPROVALS,
  });
  // The apply child's place is taken before the vote: an approval must never be recorded with no room to run it.
  const slot = deps.jobs.reserve('apply');
  if ('busy' in slot) {
    deps.log.warn({ planId: rec.planId, user: click.userId }, 'approval deferred: job limit reached');
    await tellClicker(
      deps,
      client,
      click,
      `:hourglass: ${slot.busy} Your approval was not recorded; click Approve again.`,
    );
    return;
  }
  const vote = await recordApproval(deps.stateDir, rec.planId, { user: click.userId, needed }).catch((err: unknown) => {
    slot.release();
    throw err;
  });
  if (!vote.ok || !vote.approved) slot.release();
  if (!vote.ok) {
    const cur = vote.current;
    if (vote.reason === 'expired' && cur) {
      await audit(deps, 'plan.expired', click.userId, { planId: cur.planId, via: 'late approval' });
      await updateCard(deps, client, cur, expiredView(cur), click.responseUrl);
      await tellClicker(deps, client, click, ':hourglass: This plan expired before your click; it was not run.');
    } else if (vote.reason === 'duplicate_vote') {
      await tellClicker(deps, client, click, ':information_source: You have already approved this plan.');
    } else {
      await tellClicker(deps, client, click, `:information_source: ${cur ? notAwaitingText(cur) : 'No such plan.'}`);
    }
    deps.log.info({ planId: rec.planId, user: click.userId, reason: vote.reason }, 'approval not recorded');
    return;
  }
  const approved = vote.record;
  // Durably in the log before anything runs: an approval that could not be recorded does not run.
  const recorded = await audit(deps, vote.approved ? 'plan.approved' : 'plan.approval_vote', click.userId, {
    planId: approved.planId,
    votes: approved.approvals.length,
    needed,
    via: 'slack',
  });
  if (vote.approved && !recorded) {
    await tellClicker(deps, client, click, ':x: The audit log could not be written, so the plan was not run.');
    return;
  }
  if (!vote.approved) {
    // First of two votes: the card stays approvable and says who approved so far.
    const req = await loadRequest(deps.stateDir, approved.planId);
    await updateCard(
      deps,
      client,
      approved,
      planCardView({
        planId: approved.planId,
        plan: approved.plan,
        requestedBy: approved.requestedBy,
        expiresAt: approved.expiresAt,
        approvers: deps.config.YTM_SLACK_APPROVERS,
        needed,
        requesterExcluded: twoPersonRule && approved.plan.destructive,
        approvedBy: approved.approvals.map((a) => a.user),
        command: req?.words.join(' ') ?? approved.plan.job,
      }),
      click.responseUrl,
    );
    await tellClicker(
      deps,
      client,
      click,
      `:ballot_box_with_check: Your approval is recorded (${approved.approvals.length} of ${needed}).`,
    );
    return;
  }
  deps.log.info({ planId: approved.planId, user: click.userId }, 'plan approved');
  await updateCard(
    deps,
    client,
    approved,
    runningView(
      approved,
      approved.approvals.map((a) => a.user),
    ),
    click.responseUrl,
  );
  await runApproved(deps, client, approved, click.userId, click.responseUrl, slot);
}

// Who may approve a plan. Identities are Slack user IDs (never display names, which can be spoofed).
// Fails closed: with no approvers configured nothing can be approved, and the reason says how to fix that.

export type PolicyResult = { ok: true } | { ok: false; code: PolicyRefusal; reason: string };
export type PolicyRefusal = 'NO_APPROVERS' | 'NOT_AN_APPROVER' | 'SELF_APPROVAL' | 'ALREADY_APPROVED';

export interface ApproveRequest {
  /** Slack user ID of the person clicking Approve. */
  user: string;
  /** Slack user ID of the person who asked for the plan. */
  requester: string;
  /** Configured approvers (`YTM_SLACK_APPROVERS`), Slack user IDs. */
  approvers: readonly string[];
  destructive: boolean;
  /** When on, a destructive plan needs an approver other than its requester. */
  twoPersonRule: boolean;
  /** Users who already approved this plan (one vote per person). */
  alreadyApproved?: readonly string[];
}

const mention = (id: string) => `<@${id}>`;

export function canApprove(req: ApproveRequest): PolicyResult {
  const approvers = req.approvers.map((a) => a.trim()).filter(Boolean);
  if (approvers.length === 0) {
    return {
      ok: false,
      code: 'NO_APPROVERS',
      reason:
        'No approvers are configured, so nothing can be approved. Set YTM_SLACK_APPROVERS to a comma-separated ' +
        'list of Slack user IDs (e.g. YTM_SLACK_APPROVERS=U012ABCDEF,U034GHIJKL) and restart the bot.',
    };
  }
  if (!approvers.includes(req.user)) {
    return {
      ok: false,
      code: 'NOT_AN_APPROVER',
      reason: `${mention(req.user)} is not an approver. Approvers: ${approvers.map(mention).join(', ')}.`,
    };
  }
  if (req.destructive && req.twoPersonRule && req.user === req.requester) {
    const others = approvers.filter((a) => a !== req.requester);
    return {
      ok: false,
      code: 'SELF_APPROVAL',
      reason:
        'This plan is destructive and the two-person rule is on: the requester cannot approve it. ' +
        (others.length > 0
          ? `Ask ${others.map(mention).join(' or ')}.`
          : 'No other approver is configured; add one to YTM_SLACK_APPROVERS.'),
    };
  }
  if (req.alreadyApproved?.includes(req.user)) {
    return { ok: false, code: 'ALREADY_APPROVED', reason: `${mention(req.user)} has already approved this plan.` };
  }
  return { ok: true };
}

/**
 * How many distinct approvals (one per person) a plan needs: `destructiveApprovals` (YTM_DESTRUCTIVE_APPROVALS,
 * default 1) for a destructive plan, 1 otherwise. The two-person rule is separate: it keeps the requester from
 * being one of them (`canApprove`).
 */
export function approvalsNeeded(opts: { destructive: boolean; destructiveApprovals: number }): number {
  return opts.destructive ? Math.max(1, Math.floor(opts.destructiveApprovals)) : 1;
}

import { describe, expect, it } from 'vitest';
import { approvalsNeeded, canApprove } from '../../../lib/approvals/policy.js';

const base = { user: 'UAPP', requester: 'UREQ', approvers: ['UAPP', 'UREQ'], destructive: false, twoPersonRule: false };

describe('canApprove', () => {
  it('allows a configured approver', () => {
    expect(canApprove(base)).toEqual({ ok: true });
  });

  it('fails closed with no approvers and names YTM_SLACK_APPROVERS', () => {
    for (const approvers of [[], [' ', '']]) {
      const r = canApprove({ ...base, approvers });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe('NO_APPROVERS');
        expect(r.reason).toContain('YTM_SLACK_APPROVERS');
      }
    }
  });

  it('refuses someone who is not an approver and says who is', () => {
    const r = canApprove({ ...base, user: 'UOTHER' });
    expect(r).toMatchObject({ ok: false, code: 'NOT_AN_APPROVER' });
    if (!r.ok) expect(r.reason).toContain('<@UAPP>');
  });

  it('matches user IDs exactly (no display-name or case games)', () => {
    expect(canApprove({ ...base, user: 'uapp' }).ok).toBe(false);
  });

  it('two-person rule: requester may not approve their own destructive plan', () => {
    const r = canApprove({ ...base, user: 'UREQ', destructive: true, twoPersonRule: true });
    expect(r).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
    if (!r.ok) expect(r.reason).toContain('<@UAPP>');
    expect(canApprove({ ...base, user: 'UAPP', destructive: true, twoPersonRule: true })).toEqual({ ok: true });
  });

  it('self-approval is fine when the plan is not destructive or the rule is off', () => {
    expect(canApprove({ ...base, user: 'UREQ', destructive: false, twoPersonRule: true })).toEqual({ ok: true });
    expect(canApprove({ ...base, user: 'UREQ', destructive: true, twoPersonRule: false })).toEqual({ ok: true });
  });

  it('tells a lone requester-approver that another approver is needed', () => {
    const r = canApprove({ ...base, user: 'UREQ', approvers: ['UREQ'], destructive: true, twoPersonRule: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/add one to YTM_SLACK_APPROVERS/);
  });

  it('one vote per person', () => {
    expect(canApprove({ ...base, alreadyApproved: ['UAPP'] })).toMatchObject({ ok: false, code: 'ALREADY_APPROVED' });
  });
});

describe('approvalsNeeded', () => {
  it('is 1, or YTM_DESTRUCTIVE_APPROVALS distinct approvals for a destructive plan', () => {
    expect(approvalsNeeded({ destructive: false, destructiveApprovals: 2 })).toBe(1);
    expect(approvalsNeeded({ destructive: true, destructiveApprovals: 1 })).toBe(1);
    expect(approvalsNeeded({ destructive: true, destructiveApprovals: 2 })).toBe(2);
    expect(approvalsNeeded({ destructive: true, destructiveApprovals: 0 })).toBe(1);
  });
});

// `ytm plans [--json]`: every stored plan with its state, short id, job, requester and age or expiry.
import { listPlans } from '../../lib/approvals/store.js';
import { formatProblems } from '../../lib/config.js';
import { shortId } from '../../lib/plan/id.js';
import { loadContext } from '../engine/context.js';
import { EXIT_FAILED, EXIT_OK } from '../engine/exit.js';
import { createOutput } from '../engine/output.js';
import { humanDuration } from '../engine/stamp.js';
import type { ParsedCommand } from '../grammar.js';

export async function plansCommand(cmd: ParsedCommand): Promise<number> {
  const out = createOutput(cmd);
  const loaded = loadContext();
  if (!loaded.ok) {
    out.result(EXIT_FAILED, { error: 'config', problems: loaded.problems }, formatProblems(loaded.problems));
    return EXIT_FAILED;
  }
  const now = Date.now();
  const invalid: { planId: string; error: string }[] = [];
  const records = await listPlans(loaded.ctx.paths.stateDir, {
    onInvalid: (planId, error) =>
      invalid.push({ planId, error: error instanceof Error ? error.message : String(error) }),
  });
  const plans = records.map((r) => ({
    planId: r.planId,
    shortId: shortId(r.planId),
    state: r.state,
    job: r.plan.job,
    summary: r.plan.summary,
    destructive: r.plan.destructive,
    requestedBy: r.requestedBy,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    approvals: r.approvals.map((a) => a.user),
    lastChange: r.history[r.history.length - 1] ?? null,
  }));
  const lines =
    plans.length === 0
      ? ['plans: none stored']
      : plans.map((p) => {
          const waiting = p.state === 'awaiting_approval' || p.state === 'approved';
          const exp = Date.parse(p.expiresAt) - now;
          const when = waiting
            ? exp > 0
              ? `expires in ${humanDuration(exp)}`
              : 'expiry passed'
            : `${humanDuration(now - Date.parse(p.createdAt))} ago`;
          return `${p.shortId}  ${p.state.padEnd(17)} ${p.job.padEnd(8)} by ${p.requestedBy}  ${when}  ${p.summary}`;
        });
  for (const i of invalid) lines.push(`INVALID ${i.planId.slice(0, 10)}: ${i.error}`);
  out.result(EXIT_OK, { plans, invalid }, lines.join('\n'));
  return EXIT_OK;
}

// After the winning approval: `ytm apply <planId> --events --actor <user>` as a child, progress edited into the
// card at most every few seconds, then the result card. A child that dies without a result leaves the plan
// `running`; recovery (the runner is gone) turns it into `interrupted` with what the journal says was done.
import type { WebClient } from '@slack/web-api';
import { isApplySummary } from '../../jobs/engine/apply.js';
import { recoverInterrupted } from '../../jobs/engine/recover.js';
import type { ApprovalRecord } from '../../lib/approvals/record.js';
import { getPlan } from '../../lib/approvals/store.js';
import type { JobEvent } from '../../lib/job-runner.js';
import { scrubSecrets } from '../../lib/log.js';
import { audit, type BotDeps } from '../deps.js';
import type { JobSlot } from '../job-control.js';
import { failedToRunView, interruptedView, resultView, runningView } from '../views/plan-status.js';
import { updateCard } from './card.js';
import { EditThrottle } from './throttle.js';

/** Progress edits at most this often (anchors §7 F22: one edit per 3–5 s). */
export const PROGRESS_EDIT_MS = 3_000;

export function progressText(ev: JobEvent): string | undefined {
  if (ev.type !== 'progress' || typeof ev.message !== 'string') return undefined;
  const bytes = typeof ev.bytes === 'number' && typeof ev.totalBytes === 'number' && ev.totalBytes > 0;
  const pct = bytes ? ` (${Math.floor(((ev.bytes as number) / (ev.totalBytes as number)) * 100)}%)` : '';
  const step = typeof ev.action === 'number' ? `action ${ev.action + 1}: ` : '';
  return `${step}${ev.message}${pct}`;
}

export async function runApproved(
  deps: BotDeps,
  client: WebClient,
  rec: ApprovalRecord,
  actor: string,
  responseUrl: string | undefined,
  slot: JobSlot,
): Promise<void> {
  const approvedBy = rec.approvals.map((a) => a.user);
  const throttle = new EditThrottle(
    (text) => updateCard(deps, client, rec, runningView(rec, approvedBy, text), responseUrl),
    PROGRESS_EDIT_MS,
  );
  const { done } = slot.run({
    args: ['apply', rec.planId, '--events', '--actor', actor],
    timeoutMs: deps.settings.applyTimeoutMs,
    onEvent: (ev) => {
      const text = progressText(ev);
      if (text) throttle.push(text);
    },
  });
  const outcome = await done;
  await throttle.close();
  if (isApplySummary(outcome.result)) {
    const summary = outcome.result;
    await updateCard(deps, client, rec, resultView(rec, summary, approvedBy), responseUrl);
    deps.log.info({ planId: rec.planId, state: summary.state, counts: summary.counts }, 'plan applied');
    return;
  }
  // No result: the child crashed, timed out or was cancelled. Ask recovery what the journal says.
  const recovered = await recoverInterrupted(deps.stateDir, 'ytm:bot').catch(() => []);
  const mine = recovered.find((r) => r.planId === rec.planId);
  const now = await getPlan(deps.stateDir, rec.planId).catch(() => undefined);
  const what =
    outcome.status === 'timeout'
      ? `it did not finish within ${Math.round(deps.settings.applyTimeoutMs / 60_000)} min and was stopped`
      : outcome.status === 'cancelled'
        ? 'it was cancelled (the bot is shutting down)'
        : `the job ended (${outcome.status}, exit ${outcome.exitCode ?? outcome.signal ?? '?'}) without a result`;
  const view = mine
    ? interruptedView(rec, `${what}; ${mine.description}`)
    : failedToRunView(
        rec,
        `${what} (plan state: ${now?.state ?? 'unknown'})`,
        scrubSecrets(outcome.stderrTail.trim().split('\n').slice(-10).join('\n')),
      );
  await updateCard(deps, client, rec, view, responseUrl);
  await audit(deps, 'slack.apply_failed', actor, {
    planId: rec.planId,
    status: outcome.status,
    state: now?.state ?? null,
  });
}

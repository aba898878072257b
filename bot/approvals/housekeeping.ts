// Plan housekeeping in the bot: at start-up, plans left `running` by a runner that is gone become
// `interrupted` (with what the journal says was done) and their cards say so; then, at start-up and on a
// timer, plans past their TTL become `expired` and their cards say "expired, not run". The timer is unref'd
// and a sweep never overlaps the previous one.
import type { WebClient } from '@slack/web-api';
import { recoverInterrupted } from '../../jobs/engine/recover.js';
import { expireDue, getPlan } from '../../lib/approvals/store.js';
import { audit, type BotDeps } from '../deps.js';
import { expiredView, interruptedView } from '../views/plan-status.js';
import { updateCard } from './card.js';

/** Expiry sweeps run this often at most (the monitor interval, when shorter, makes tests fast). */
export const EXPIRY_SWEEP_MAX_MS = 30_000;

export function expirySweepMs(deps: BotDeps): number {
  return Math.min(EXPIRY_SWEEP_MAX_MS, deps.config.YTM_MONITOR_INTERVAL_SEC * 1000);
}

export async function sweepExpired(deps: BotDeps, client: WebClient): Promise<number> {
  const expired = await expireDue(deps.stateDir, new Date());
  for (const rec of expired) {
    await audit(deps, 'plan.expired', undefined, { planId: rec.planId, expiresAt: rec.expiresAt });
    deps.log.info({ planId: rec.planId }, 'plan expired');
    await updateCard(deps, client, rec, expiredView(rec));
  }
  return expired.length;
}

export async function recoverCards(deps: BotDeps, client: WebClient): Promise<number> {
  const recovered = await recoverInterrupted(deps.stateDir, 'ytm:bot');
  for (const r of recovered) {
    const rec = await getPlan(deps.stateDir, r.planId).catch(() => undefined);
    deps.log.warn({ planId: r.planId, description: r.description }, 'plan interrupted by a restart');
    if (rec) await updateCard(deps, client, rec, interruptedView(rec, r.description));
  }
  return recovered.length;
}

export function startPlanHousekeeping(deps: BotDeps, client: WebClient): { stop: () => void } {
  let busy = false;
  const sweep = async () => {
    if (busy) return;
    busy = true;
    try {
      await sweepExpired(deps, client);
    } catch (err) {
      deps.log.error({ err: (err as Error).message }, 'expiry sweep failed');
    } finally {
      busy = false;
    }
  };
  const first = (async () => {
    busy = true;
    try {
      await recoverCards(deps, client);
      await sweepExpired(deps, client);
    } catch (err) {
      deps.log.error({ err: (err as Error).message }, 'start-up plan recovery failed');
    } finally {
      busy = false;
    }
  })();
  deps.inflight.add(first);
  void first.finally(() => deps.inflight.delete(first));
  const timer = setInterval(() => void sweep(), expirySweepMs(deps));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

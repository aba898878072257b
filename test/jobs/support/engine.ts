// In-process helpers for engine tests: a context from a workspace env, and a plan stored + approved the way
// the bot does it (requester and approver are Slack user ids).

import { createContext } from '../../../jobs/engine/context.js';
import { planJob } from '../../../jobs/engine/plan.js';
import type { JobContext } from '../../../jobs/engine/types.js';
import type { StoreInput } from '../../../jobs/store/input.js';
import { storeJob } from '../../../jobs/store/job.js';
import { recordApproval, savePlan } from '../../../lib/approvals/store.js';
import { loadConfig } from '../../../lib/config.js';

export function contextFor(env: Record<string, string>, actor = 'U0APPROVER'): JobContext {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return createContext(loaded.config, { actor });
}

export function storeInput(over: Partial<StoreInput> = {}): StoreInput {
  return {
    path: null,
    kind: null,
    episode: null,
    mode: 'copy',
    overwrite: false,
    allowUnposted: false,
    includeRemotion: false,
    runId: null,
    ...over,
  };
}

export async function storedPlan(
  env: Record<string, string>,
  input: StoreInput,
  opts: { approve?: boolean; ttlMs?: number } = {},
): Promise<{ planId: string; ctx: JobContext }> {
  const ctx = contextFor(env);
  const { plan, planId } = await planJob(storeJob, input, ctx);
  if (plan.refusals.length > 0) throw new Error(`plan refused: ${JSON.stringify(plan.refusals)}`);
  await savePlan(ctx.paths.stateDir, plan, { requestedBy: 'U0REQUESTER', ttlMs: opts.ttlMs ?? 60_000 });
  if (opts.approve !== false) {
    const vote = await recordApproval(ctx.paths.stateDir, planId, { user: 'U0APPROVER', needed: 1 });
    if (!vote.ok) throw new Error(`approval failed: ${vote.reason}`);
  }
  return { planId, ctx };
}

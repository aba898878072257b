// In-process helpers for engine tests: a context from a workspace env, and a plan stored + approved the way
// the bot does it (requester and approver are Slack user ids).

import { createContext } from '../../../jobs/engine/context.js';
import { planJob } from '../../../jobs/engine/plan.js';
import type { Job, JobContext } from '../../../jobs/engine/types.js';
import type { StoreInput } from '../../../jobs/store/input.js';
import { storeJob } from '../../../jobs/store/job.js';
import { recordApproval, savePlan } from '../../../lib/approvals/store.js';
import { loadConfig } from '../../../lib/config.js';
import type { JsonObject } from '../../../lib/plan/types.js';

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

export function storedPlan(
  env: Record<string, string>,
  input: StoreInput,
  opts: { approve?: boolean; ttlMs?: number; requestedIn?: string } = {},
): Promise<{ planId: string; ctx: JobContext }> {
  return storedJobPlan(storeJob, env, input, opts);
}

export async function storedJobPlan<I extends JsonObject>(
  job: Job<I>,
  env: Record<string, string>,
  input: I,
  opts: { approve?: boolean; ttlMs?: number; requestedIn?: string } = {},
): Promise<{ planId: string; ctx: JobContext }> {
  const ctx = contextFor(env);
  const { plan, planId } = await planJob(job, input, ctx);
  if (plan.refusals.length > 0) throw new Error(`plan refused: ${JSON.stringify(plan.refusals)}`);
  await savePlan(ctx.paths.stateDir, plan, {
    requestedBy: 'U0REQUESTER',
    requestedIn: opts.requestedIn,
    ttlMs: opts.ttlMs ?? 60_000,
  });
  if (opts.approve !== false) {
    const vote = await recordApproval(ctx.paths.stateDir, planId, { user: 'U0APPROVER', needed: 1 });
    if (!vote.ok) throw new Error(`approval failed: ${vote.reason}`);
  }
  return { planId, ctx };
}

// planJob: validate the input, run the job's read-only plan, and wrap it into the content-addressed Plan.
import { hostname } from 'node:os';
import { planId } from '../../lib/plan/id.js';
import type { JsonObject, Plan } from '../../lib/plan/types.js';
import type { Job, JobContext, PlanDraft } from './types.js';

export interface PlannedJob {
  plan: Plan;
  planId: string;
  notices: NonNullable<PlanDraft['notices']>;
}

export class JobInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobInputError';
  }
}

export function parseJobInput<I extends JsonObject>(job: Job<I>, input: unknown): I {
  const parsed = job.input.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JobInputError(`${job.name}: invalid input${issue ? ` (${issue.path.join('.')}: ${issue.message})` : ''}`);
  }
  return parsed.data;
}

export async function planJob<I extends JsonObject>(job: Job<I>, input: I, ctx: JobContext): Promise<PlannedJob> {
  const checked = parseJobInput(job, input);
  const draft = await job.plan(checked, ctx);
  const plan: Plan = {
    job: job.name,
    input: checked,
    createdAt: ctx.now().toISOString(),
    host: hostname(),
    preconditions: draft.preconditions,
    actions: draft.actions,
    warnings: draft.warnings,
    refusals: draft.refusals,
    summary: draft.summary,
    destructive: job.destructive(checked),
  };
  return { plan, planId: planId(plan), notices: draft.notices ?? [] };
}

import type { JsonObject, Refusal } from '../../lib/plan/types.js';
import type { PlanDraft } from './types.js';

/** A plan that does nothing and says why: the shape every job's refusal takes (the card shows no Approve). */
export function refusedDraft(refusals: Refusal[], preconditions: JsonObject = {}): PlanDraft {
  return {
    preconditions,
    actions: [],
    warnings: [],
    refusals,
    summary: `refused: ${refusals.map((r) => r.code).join(', ')}`,
  };
}

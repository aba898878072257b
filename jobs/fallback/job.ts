// The `fallback` job (facts §4.5): keep video/input usable while the share is down by materialising its broken
// links locally, and (`fallback restore`) link the folders back once the share is up, keeping newer local work.
import { z } from 'zod';
import type { Job } from '../engine/types.js';
import { describeFallbackAction } from './action.js';
import { applyFallbackAction } from './apply.js';
import { planMaterialize } from './plan-materialize.js';
import { planRestore } from './plan-restore.js';

export const FallbackInputSchema = z.object({ action: z.enum(['materialize', 'restore']) });
export type FallbackInput = z.infer<typeof FallbackInputSchema>;

export const fallbackJob: Job<FallbackInput> = {
  name: 'fallback',
  summary: 'keep Hot work usable while the share is down; `fallback restore` links it back once the share is up',
  input: FallbackInputSchema,
  mutates: true,
  // Restoring removes the local copies (each the same as, or older than, the share's).
  destructive: (input) => input.action === 'restore',
  plan: (input, ctx) => (input.action === 'restore' ? planRestore(ctx) : planMaterialize(ctx)),
  describeAction: describeFallbackAction,
  applyAction: (action, _index, ctx) => applyFallbackAction(action, ctx),
};

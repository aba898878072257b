// The `store` job: copy final files to the share (or the local outbox while it is down), verified by SHA-256,
// each with a manifest; optionally replace the source by a link (heavy files) or remove it, only after
// verification (facts §4.10, §4.11).
import type { Job } from '../engine/types.js';
import { describeStoreAction } from './action.js';
import { executeStoreAction } from './execute.js';
import { type StoreInput, StoreInputSchema } from './input.js';
import { planStore } from './plan.js';

export const storeJob: Job<StoreInput> = {
  name: 'store',
  summary: 'copy final files (script, WAV, SRT, mp4) to the share with SHA-256 verification and a manifest',
  input: StoreInputSchema,
  mutates: true,
  destructive: (input) => input.mode !== 'copy' || input.overwrite,
  plan: planStore,
  describeAction: describeStoreAction,
  applyAction: (action, _index, ctx, planId) => executeStoreAction(action, ctx, planId),
};

// The `relink` job (facts §4.9): point an episode's run back at the draft a person chose. It replaces a link and
// rewrites capcut_draft_info.json, keeping the old link as a backup and the old path in the relink log, so it
// is not destructive.
import type { Job } from '../engine/types.js';
import { describeRelinkAction } from './action.js';
import { executeRelink } from './execute.js';
import { type RelinkInput, RelinkInputSchema } from './input.js';
import { planRelink } from './plan.js';

export const relinkJob: Job<RelinkInput> = {
  name: 'relink',
  summary: "point an episode's video run back at its CapCut draft on the Mac",
  input: RelinkInputSchema,
  mutates: true,
  destructive: () => false,
  plan: planRelink,
  describeAction: describeRelinkAction,
  applyAction: (action, _index, ctx, planId) => executeRelink(action, ctx, planId),
};

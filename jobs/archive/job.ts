// `archive published`: reclaim space from posted episodes (facts §4.12).
import type { Job } from '../engine/types.js';
import { applyArchiveAction, describeArchiveAction } from './actions.js';
import { type ArchivePublishedInput, ArchivePublishedInputSchema } from './input.js';
import { planArchivePublished } from './published-plan.js';

export const archivePublishedJob: Job<ArchivePublishedInput> = {
  name: 'archive-published',
  summary: 'reclaim space from posted episodes (archive; delete only audio, drafts, video input and exports)',
  input: ArchivePublishedInputSchema,
  mutates: true,
  destructive: (input) => input.delete,
  plan: planArchivePublished,
  describeAction: describeArchiveAction,
  applyAction: (action, _index, ctx) => applyArchiveAction(action, ctx),
};

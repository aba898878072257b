// The `mirror` job: Hot workspace → vault with rsync (python-ops-facts §4.2), planned by a dry run, applied
// under a lease. Delete-sync makes every plan destructive (a confirm dialog in Slack, --yes without a TTY).
import type { Job } from '../engine/types.js';
import { describeMirrorAction } from './action.js';
import { executeMirror } from './execute.js';
import { type MirrorInput, MirrorInputSchema, planMirror } from './plan.js';

export const mirrorJob: Job<MirrorInput> = {
  name: 'mirror',
  summary: 'mirror the Mac workspace to the vault (rsync, sentinel-guarded, delete-limited)',
  input: MirrorInputSchema,
  mutates: true,
  destructive: () => true,
  plan: planMirror,
  describeAction: describeMirrorAction,
  applyAction: (action, _index, ctx, planId) => executeMirror(action, ctx, planId),
};

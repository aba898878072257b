// The two jobs behind `ytm runs`: archive extra video runs, and restore them from an archive report.
import { applyArchiveAction, describeArchiveAction } from '../archive/actions.js';
import type { Job } from '../engine/types.js';
import { planRunsArchive } from './archive-plan.js';
import {
  type RunsArchiveInput,
  RunsArchiveInputSchema,
  type RunsRestoreInput,
  RunsRestoreInputSchema,
} from './input.js';
import { planRunsRestore } from './restore-plan.js';

export const runsArchiveJob: Job<RunsArchiveInput> = {
  name: 'runs-archive',
  summary: 'archive extra video runs (moved, never deleted) and write archive_report.json',
  input: RunsArchiveInputSchema,
  mutates: true,
  destructive: () => false,
  plan: planRunsArchive,
  describeAction: describeArchiveAction,
  applyAction: (action, _index, ctx) => applyArchiveAction(action, ctx),
};

export const runsRestoreJob: Job<RunsRestoreInput> = {
  name: 'runs-restore',
  summary: 'put archived video runs back where they were, from archive_report.json',
  input: RunsRestoreInputSchema,
  mutates: true,
  destructive: () => false,
  plan: planRunsRestore,
  describeAction: describeArchiveAction,
  applyAction: (action, _index, ctx) => applyArchiveAction(action, ctx),
};

// The Job contract (DESIGN "Job contract"): a job plans read-only, and applies a stored plan action by action.
// The executor (jobs/engine/apply.ts) owns everything around the actions: state machine, journal, stale check,
// report and audit, so each job only describes its facts and its single action.
import type { z } from 'zod';
import type { Config } from '../../lib/config.js';
import type { Paths } from '../../lib/paths.js';
import type { JsonObject, JsonValue, Refusal } from '../../lib/plan/types.js';

/** A progress event; printed as one NDJSON line `{"type":"progress",…}` with `--events`. */
export interface ProgressEvent {
  stage: string;
  message: string;
  /** Action index (0-based) when the event belongs to one action. */
  action?: number;
  bytes?: number;
  totalBytes?: number;
}

export interface JobContext {
  config: Config;
  paths: Paths;
  now: () => Date;
  progress: (event: ProgressEvent) => void;
  signal: AbortSignal;
  /** Who is acting: `terminal:<os user>`, or the Slack user id relayed by the bot. */
  actor: string;
  /**
   * Set when the engine re-plans before an apply only to compare preconditions and refusals: a job may skip
   * work that feeds nothing else (the mirror's dry run).
   */
  recheck?: boolean;
}

/** What a job's `plan` returns; `planJob` adds job, input, createdAt, host and destructive to make the Plan. */
export interface PlanDraft {
  preconditions: JsonObject;
  actions: JsonValue[];
  warnings: string[];
  refusals: Refusal[];
  summary: string;
  /** Audit-worthy facts of the plan itself (e.g. an emergency override in use); not part of the plan id. */
  notices?: { kind: string; data: JsonValue }[];
}

export type ActionStatus = 'done' | 'up_to_date' | 'failed' | 'skipped';

export interface ActionOutcome {
  status: ActionStatus;
  message: string;
  /** Extra facts for the report (paths written, manifest, bytes…). */
  details?: JsonObject;
}

export interface Job<I extends JsonObject = JsonObject> {
  name: string;
  summary: string;
  /** Validates a stored plan's input (the normalised form `plan` received). */
  input: z.ZodType<I>;
  mutates: boolean;
  /** Deletes or replaces something (needs `--yes` without a TTY; confirm dialog and two-person rule in Slack). */
  destructive: (input: I) => boolean;
  /** Read-only. Must give identical `preconditions` when nothing relevant changed. */
  plan: (input: I, ctx: JobContext) => Promise<PlanDraft>;
  /** One line naming an action, for text output and the journal. */
  describeAction: (action: JsonValue) => string;
  /** Execute one action; idempotent (an action already done reports `up_to_date`). Never throws for file errors. */
  /** `planId` is the stored plan's id (the engine has it; recomputing it per action would re-hash the plan). */
  applyAction: (action: JsonValue, index: number, ctx: JobContext, planId: string) => Promise<ActionOutcome>;
}

/** Look a job up by the name stored in a plan. */
export type JobLookup = (name: string) => Job | undefined;

export type FinalState = 'succeeded' | 'failed' | 'partial' | 'cancelled';

export interface ApplySummary {
  planId: string;
  job: string;
  state: FinalState | 'stale' | 'refused';
  /** Why nothing ran (state mismatch, stale keys, unknown job). */
  reason?: string;
  outcomes: (ActionOutcome & { index: number; label: string })[];
  counts: Record<ActionStatus, number>;
  report?: string;
  staleKeys?: string[];
  exitCode: number;
}

// The stored approval record: <stateDir>/plans/<planId>.json.
import { join } from 'node:path';
import { z } from 'zod';
import { JsonValueSchema, PlanSchema } from '../plan/types.js';
import { StateSchema } from './states.js';

export const ApprovalSchema = z.object({ user: z.string().min(1), at: z.string() });
export type Approval = z.infer<typeof ApprovalSchema>;

export const HistoryEntrySchema = z.object({
  /** null for the creation of the record. */
  from: StateSchema.nullable(),
  to: StateSchema,
  at: z.string(),
  by: z.string().optional(),
  note: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const ApprovalRecordSchema = z.object({
  plan: PlanSchema,
  planId: z.string().regex(/^[0-9a-f]{64}$/),
  state: StateSchema,
  requestedBy: z.string().min(1),
  /** Where it was requested (e.g. Slack channel id, or "terminal"). */
  requestedIn: z.string().optional(),
  createdAt: z.string(),
  expiresAt: z.string(),
  approvals: z.array(ApprovalSchema),
  history: z.array(HistoryEntrySchema),
  slack: z.object({ channel: z.string(), ts: z.string() }).optional(),
  result: JsonValueSchema.optional(),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

export const plansDir = (stateDir: string) => join(stateDir, 'plans');
export const recordFile = (stateDir: string, id: string) => join(plansDir(stateDir), `${id}.json`);
export const recordLockFile = (stateDir: string, id: string) => join(plansDir(stateDir), `${id}.lock`);

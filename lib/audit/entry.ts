// One audit line. `prev` chains each line to the one before it and `hash` seals the line itself, so editing,
// reordering or removing any line breaks verification from that point on.
import { z } from 'zod';
import { sha256Hex } from '../fs/hash.js';
import { canonicalJson } from '../plan/canonical.js';
import { JsonValueSchema } from '../plan/types.js';

export const GENESIS_HASH = '0'.repeat(64);

export const AuditEntrySchema = z.object({
  seq: z.number().int().min(1),
  at: z.string(),
  kind: z.string().min(1),
  actor: z.string().optional(),
  planId: z.string().optional(),
  data: JsonValueSchema,
  prev: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** What a caller supplies; seq, at, prev and hash are filled in by `appendAudit`. */
export interface AuditInput {
  kind: string;
  actor?: string;
  planId?: string;
  data?: z.infer<typeof JsonValueSchema>;
  /** Defaults to now. */
  at?: Date;
}

/** The hash of a line = sha256 of the canonical JSON of every field except `hash`. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, kind, actor, planId, data, prev } = entry;
  const body: Record<string, unknown> = { seq, at, kind, data, prev };
  // Optional fields are left out when absent rather than written as undefined (canonicalJson rejects it).
  if (actor !== undefined) body.actor = actor;
  if (planId !== undefined) body.planId = planId;
  return sha256Hex(canonicalJson(body));
}

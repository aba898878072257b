// The store action: one verified artifact. Shared by `store` and `outbox flush` (the flush is a store whose
// source is the outbox copy and whose `after` is `move`).
import { z } from 'zod';
import type { JsonValue } from '../../lib/plan/types.js';
import { formatBytes } from '../engine/output.js';

export const StoreActionSchema = z.object({
  op: z.literal('store'),
  src: z.string(),
  /** Source relative to its root (workspace, or the outbox base for a flush), POSIX. */
  srcRel: z.string(),
  srcMtimeMs: z.number(),
  dest: z.string(),
  /** Relative to `uploads/<ns>/`, POSIX. */
  destRel: z.string(),
  kind: z.string(),
  episode: z.string().nullable(),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  destState: z.enum(['absent', 'same', 'different']),
  overwrite: z.boolean(),
  after: z.enum(['keep', 'symlink-back', 'move']),
  target: z.object({
    configuredRoot: z.string().nullable(),
    effectiveRoot: z.string(),
    namespace: z.string(),
    base: z.string(),
    offline: z.boolean(),
    offlineReason: z.string().nullable(),
    /** Outbox flush: the outbox file this copy came from. */
    flushedFrom: z.string().nullable(),
  }),
});
export type StoreAction = z.infer<typeof StoreActionSchema>;

export function describeStoreAction(raw: JsonValue): string {
  const parsed = StoreActionSchema.safeParse(raw);
  if (!parsed.success) return 'invalid store action';
  const a = parsed.data;
  const verb =
    a.after === 'keep'
      ? 'copy'
      : a.after === 'symlink-back'
        ? 'copy, then replace the source by a link'
        : a.target.flushedFrom
          ? 'copy to the share, then remove the outbox copy'
          : 'move';
  const state =
    a.destState === 'same'
      ? ' [already there with the same SHA-256]'
      : a.destState === 'different'
        ? ' [REPLACES a different file]'
        : '';
  return `${verb} ${a.srcRel} → ${a.target.offline ? 'OUTBOX ' : ''}${a.destRel} (${formatBytes(a.size)})${state}`;
}

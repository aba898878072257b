// The mirror's one action: every pass of one run, with what the dry run said each would do. The passes run
// together under one lease and produce one report, as the predecessor's run did.
import { z } from 'zod';
import { formatBytes } from '../engine/output.js';

const CountsSchema = z.object({
  created: z.number(),
  updated: z.number(),
  deleted: z.number(),
  bytes: z.number(),
});

export const PassActionSchema = z.object({
  name: z.string(),
  src: z.string(),
  dest: z.string(),
  delete: z.boolean(),
  excludes: z.array(z.string()),
  /** The dry run's result for this pass. */
  planned: z.object({
    counts: CountsSchema,
    outcome: z.string(),
    returncode: z.number().nullable(),
    durationSec: z.number(),
    argv: z.array(z.string()),
  }),
});
export type PassAction = z.infer<typeof PassActionSchema>;

export const MirrorActionSchema = z.object({
  kind: z.literal('mirror'),
  src: z.string(),
  dest: z.string(),
  repoRoot: z.string(),
  /** The folder the run pins (st_dev) before writing: the share root when the vault is on it, else the vault. */
  pinRoot: z.string(),
  /** A mountpoint that must stay mounted during the run (the share root when a mount is required). */
  mountpoint: z.string().nullable(),
  bootstrapDest: z.boolean(),
  /** rsync --max-delete for the main pass. */
  maxDelete: z.number(),
  /** The unattended delete limit and whether the dry run's deletions exceed it. */
  limit: z.object({ count: z.number(), pct: z.number(), vaultEntries: z.number().nullable(), allowed: z.number() }),
  overLimit: z.boolean(),
  passes: z.array(PassActionSchema),
});
export type MirrorAction = z.infer<typeof MirrorActionSchema>;

export type Counts = z.infer<typeof CountsSchema>;

export function countsText(c: Counts): string {
  return `${c.created} to create, ${c.updated} to update, ${c.deleted} to delete, ${formatBytes(c.bytes)}`;
}

export function passLine(p: PassAction): string {
  return `${p.name} (${p.delete ? 'delete-sync' : 'copy only'}): ${countsText(p.planned.counts)}`;
}

export function describeMirrorAction(action: unknown): string {
  const a = MirrorActionSchema.safeParse(action);
  if (!a.success) return JSON.stringify(action).slice(0, 200);
  return `mirror ${a.data.src} → ${a.data.dest}: ${a.data.passes.length} pass(es)${a.data.bootstrapDest ? ', --bootstrap-dest: the vault folder and its sentinel are created if missing' : ''}; ${a.data.maxDelete === 0 ? 'nothing is deleted' : `deletions stop at ${a.data.maxDelete} (--max-delete)`}`;
}

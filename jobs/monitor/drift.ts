import { z } from 'zod';

/** Vault drift as the mirror's dry run (`rsync -n -i`) counted it, carried in the doctor report as `mirror.drift`. */
export const DriftSchema = z.object({
  created: z.number().int().min(0),
  updated: z.number().int().min(0),
  deleted: z.number().int().min(0),
  bytes: z.number().min(0),
  measuredAt: z.string(),
});
export type Drift = z.infer<typeof DriftSchema>;

/** `mirror.drift` of a doctor report, when the mirror measured one (older reports have none). */
export function driftOf(report: unknown): Drift | null {
  const mirror = (report as { mirror?: { drift?: unknown } } | null)?.mirror;
  const parsed = DriftSchema.safeParse(mirror?.drift);
  return parsed.success ? parsed.data : null;
}

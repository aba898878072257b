// The inputs of `runs archive` and `runs restore`: the grammar's words in the one JSON shape a plan stores.
import { z } from 'zod';

export const RunsArchiveInputSchema = z.object({
  channel: z
    .string()
    .regex(/^CH\d{2}$/)
    .nullable(),
  video: z
    .string()
    .regex(/^\d{3}$/)
    .nullable(),
  /** Every channel, and unscoped runs too. */
  all: z.boolean(),
  /** Only runs with no episode. */
  unscopedOnly: z.boolean(),
});
export type RunsArchiveInput = z.infer<typeof RunsArchiveInputSchema>;

export const RunsRestoreInputSchema = z.object({
  report: z.string().min(1),
  onlyRunIds: z.array(z.string().min(1)),
});
export type RunsRestoreInput = z.infer<typeof RunsRestoreInputSchema>;

const str = (a: Record<string, unknown>, k: string) => (typeof a[k] === 'string' ? (a[k] as string) : null);

export function runsArchiveInputFromArgs(a: Record<string, unknown>): RunsArchiveInput {
  return {
    channel: str(a, 'channel'),
    video: str(a, 'video'),
    all: a.all === true,
    unscopedOnly: a['unscoped-only'] === true,
  };
}

export function runsRestoreInputFromArgs(a: Record<string, unknown>): RunsRestoreInput {
  return {
    report: str(a, 'report') ?? '',
    onlyRunIds: Array.isArray(a['only-run-id']) ? (a['only-run-id'] as string[]) : [],
  };
}

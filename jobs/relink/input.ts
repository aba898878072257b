// The relink job's input: the episode and the draft folder chosen by a person (never picked by the tool).
import { z } from 'zod';

export const RelinkInputSchema = z.object({
  episode: z.string().regex(/^CH\d{2}-\d{3}$/),
  /** Absolute, or a folder name under the CapCut draft root (else the local drafts root). */
  draft: z.string().min(1).max(1024),
});
export type RelinkInput = z.infer<typeof RelinkInputSchema>;

// The relink action: one step, so a failed backup can never be followed by a replaced link.
import path from 'node:path';
import { z } from 'zod';
import type { JsonValue } from '../../lib/plan/types.js';
import { PATH_REF_ROOTS, PATH_REF_SCHEMA } from '../../lib/planning/draft-info.js';

export const RelinkActionSchema = z.object({
  op: z.literal('relink'),
  episode: z.string(),
  runId: z.string(),
  runDir: z.string(),
  /** `<runDir>/capcut_draft`. */
  link: z.string(),
  /** The link's target when planned (null: there was no link). */
  oldTarget: z.string().nullable(),
  /** False when the link already leads to the draft and only the info is behind. */
  replaceLink: z.boolean(),
  /** `capcut_draft.symlink_backup__<STAMP>`; null when there is no old link to keep. */
  backup: z.string().nullable(),
  /** Absolute: the configured draft root plus the draft's real relative path. */
  draft: z.string(),
  ref: z.object({ schema: z.literal(PATH_REF_SCHEMA), root: z.enum(PATH_REF_ROOTS), rel: z.string() }),
  /** `<runDir>/capcut_draft_info.json`, and its SHA-256 when planned (null: it did not exist). */
  info: z.string(),
  infoSha256: z.string().nullable(),
  oldDraftPath: z.string().nullable(),
});
export type RelinkAction = z.infer<typeof RelinkActionSchema>;

export function describeRelinkAction(raw: JsonValue): string {
  const parsed = RelinkActionSchema.safeParse(raw);
  if (!parsed.success) return 'invalid relink action';
  const a = parsed.data;
  const run = `video/runs/${a.runId}`;
  const link = a.replaceLink
    ? `${run}/capcut_draft → ${a.draft}${a.backup ? ` (old link → ${a.oldTarget} kept as ${path.basename(a.backup)})` : ' (new link)'}`
    : `${run}/capcut_draft already → ${a.draft}`;
  return `${link}; capcut_draft_info.json draft_path and draft_path_ref (${a.ref.root}: ${a.ref.rel}) ${a.infoSha256 ? 'updated' : 'written'}`;
}

// fallback's actions: materialise one broken video/input link locally (share down), or link one materialised
// folder back to the share (share up again).
import { z } from 'zod';
import type { JsonValue } from '../../lib/plan/types.js';
import { formatBytes } from '../engine/output.js';

const FileFact = z.object({ rel: z.string(), size: z.number(), mtimeMs: z.number() });

export const FallbackActionSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('materialize'),
    /** The folder name under video/input. */
    name: z.string().min(1),
    link: z.string().min(1),
    /** The link's stored target (into the share). */
    target: z.string().min(1),
    /** The newest local archive copied into place; null: an empty folder with README_OFFLINE_FALLBACK.txt. */
    source: z.string().nullable(),
    files: z.number().int().min(0),
    bytes: z.number().int().min(0),
    reason: z.string(),
  }),
  z.object({
    op: z.literal('restore'),
    name: z.string().min(1),
    link: z.string().min(1),
    /** The backup link renamed back to `link`. */
    backup: z.string().min(1),
    target: z.string().min(1),
    /** The local folder's files, each the same as (or older than) the share's copy: removed with the folder. */
    remove: z.array(FileFact.extend({ why: z.enum(['same', 'older', 'placeholder']) })),
    /** Whether a local folder is in the way (false: only the link is restored). */
    localDir: z.boolean(),
  }),
]);
export type FallbackAction = z.infer<typeof FallbackActionSchema>;

export function describeFallbackAction(raw: JsonValue): string {
  const parsed = FallbackActionSchema.safeParse(raw);
  if (!parsed.success) return 'invalid fallback action';
  const a = parsed.data;
  if (a.op === 'materialize') {
    const what = a.source
      ? `copy the local archive ${a.source} (${a.files} file(s), ${formatBytes(a.bytes)})`
      : `create an empty folder with README_OFFLINE_FALLBACK.txt (no local archive)`;
    return `video/input/${a.name}: keep the broken link as ${a.name}.symlink_shared_backup_<STAMP>, ${what}`;
  }
  return a.localDir
    ? `video/input/${a.name}: remove the local copy (${a.remove.length} file(s), each the same as or older than the share's) and link it back to ${a.target}`
    : `video/input/${a.name}: link it back to ${a.target}`;
}

// Per-episode `workspaces/scripts/CHxx/NNN/status.json` (facts §3.3).
// Only the fields ops needs are kept; real `metadata` holds whole prompts and absolute Mac paths.
// A field of the wrong type reads as absent rather than failing the whole file.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const optText = z.string().optional().catch(undefined);

export const StatusJsonSchema = z.object({
  script_id: optText,
  channel: optText,
  video_number: z
    .union([z.string(), z.number().transform(String)])
    .optional()
    .catch(undefined),
  status: optText,
  metadata: z
    .object({
      video_run_id: z.string().nullish().catch(undefined),
      // Kept raw: "published" means truthy (facts §3.6), see isEpisodePublished.
      published_lock: z.unknown().optional(),
      published_at: z.string().nullish().catch(undefined),
    })
    .nullish()
    .catch(undefined),
});

export type StatusJson = z.infer<typeof StatusJsonSchema>;

export type StatusJsonResult =
  | { ok: true; status: StatusJson }
  | { ok: false; error: string; code: 'missing' | 'unreadable' | 'invalid_json' | 'invalid_shape' };

export function parseStatusJson(text: string): StatusJsonResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'invalid_json', error: `status.json is not valid JSON: ${(err as Error).message}` };
  }
  const parsed = StatusJsonSchema.safeParse(data);
  if (!parsed.success) return { ok: false, code: 'invalid_shape', error: 'status.json is not a JSON object' };
  return { ok: true, status: parsed.data };
}

export async function readStatusJson(path: string): Promise<StatusJsonResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, code: 'missing', error: `no status.json at ${path}` };
    return { ok: false, code: 'unreadable', error: `cannot read ${path}: ${code ?? (err as Error).message}` };
  }
  return parseStatusJson(text);
}

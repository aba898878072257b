// Freeze list `planning_root()/hotset_freeze.json` (`ytm.hotset_freeze.v1`, facts §3.2).
// Never throws: a missing file is an empty list, anything unusable is an empty list plus an error.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { normalizeChannel, normalizeVideo } from './episode.js';

export const FREEZE_SCHEMA = 'ytm.hotset_freeze.v1';

export interface FreezeItem {
  channel: string;
  video: string;
  /** hotset.py drops entries without a reason; we keep them (as the doctors do): freezing only protects. */
  reason: string | null;
  created_at: string | null;
  created_by: string | null;
}

export interface FreezeList {
  items: FreezeItem[];
  errors: string[];
  /** Accepts any normalisable spelling (`CH4`, `31`). */
  has(channel: string, video: string | number): boolean;
}

const optText = z.string().nullish().catch(null);
const ItemSchema = z.object({
  channel: z.string(),
  video: z.union([z.string(), z.number()]),
  reason: optText,
  created_at: optText,
  created_by: optText,
});
const FileSchema = z.object({ schema: z.unknown(), items: z.array(z.unknown()).catch([]) });

function makeList(items: FreezeItem[], errors: string[]): FreezeList {
  const keys = new Set(items.map((i) => `${i.channel}-${i.video}`));
  return {
    items,
    errors,
    has(channel, video) {
      const ch = normalizeChannel(channel);
      const v = normalizeVideo(video);
      return ch !== null && v !== null && keys.has(`${ch}-${v}`);
    },
  };
}

/** `json` is the file text or an already-parsed value. */
export function parseFreezeList(json: unknown): FreezeList {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (err) {
      return makeList([], [`freeze list is not valid JSON: ${(err as Error).message}`]);
    }
  }
  const file = FileSchema.safeParse(data);
  if (!file.success) return makeList([], ['freeze list is not a JSON object']);
  if (file.data.schema !== FREEZE_SCHEMA) {
    // The doctors treat any other schema as an empty list.
    return makeList([], [`freeze list schema ${JSON.stringify(file.data.schema)} is not ${FREEZE_SCHEMA}; ignored`]);
  }
  const items: FreezeItem[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  file.data.items.forEach((entry, i) => {
    const parsed = ItemSchema.safeParse(entry);
    const channel = parsed.success ? normalizeChannel(parsed.data.channel) : null;
    const video = parsed.success ? normalizeVideo(parsed.data.video) : null;
    if (!parsed.success || !channel || !video) {
      errors.push(`items[${i}]: not a valid {channel, video} entry`);
      return;
    }
    const key = `${channel}-${video}`;
    if (seen.has(key)) {
      errors.push(`items[${i}]: duplicate ${key}`);
      return;
    }
    seen.add(key);
    items.push({
      channel,
      video,
      reason: parsed.data.reason?.trim() || null,
      created_at: parsed.data.created_at ?? null,
      created_by: parsed.data.created_by ?? null,
    });
  });
  items.sort((a, b) => (a.channel === b.channel ? a.video.localeCompare(b.video) : a.channel.localeCompare(b.channel)));
  return makeList(items, errors);
}

export async function readFreezeList(path: string): Promise<FreezeList> {
  try {
    return parseFreezeList(await readFile(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return makeList([], []);
    return makeList([], [`cannot read freeze list ${path}: ${code ?? (err as Error).message}`]);
  }
}

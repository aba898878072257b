// `archive published`'s input: the grammar's words in the one JSON shape a plan stores.
import { z } from 'zod';

export const DOMAINS = ['audio', 'capcut_drafts', 'video_input', 'thumbnails', 'video_runs', 'exports'] as const;
export type Domain = (typeof DOMAINS)[number];

/** Without domain flags: audio, local CapCut drafts, thumbnails and video runs (video input and exports on request). */
export const DEFAULT_DOMAINS: readonly Domain[] = ['audio', 'capcut_drafts', 'thumbnails', 'video_runs'];
/** What `--delete` deletes; thumbnails and video runs are only ever archived (DESIGN safety rules). */
export const DELETABLE: readonly Domain[] = ['audio', 'capcut_drafts', 'video_input', 'exports'];

export const ArchivePublishedInputSchema = z.object({
  channel: z.string().regex(/^CH\d{2}$/),
  videos: z.array(z.string().regex(/^\d{3}$/)),
  domains: z.array(z.enum(DOMAINS)).min(1),
  delete: z.boolean(),
});
export type ArchivePublishedInput = z.infer<typeof ArchivePublishedInputSchema>;

const FLAGS: Record<Domain, string> = {
  audio: 'audio',
  capcut_drafts: 'capcut-drafts',
  video_input: 'video-input',
  thumbnails: 'thumbnails',
  video_runs: 'video-runs',
  exports: 'exports',
};

export function archivePublishedInputFromArgs(a: Record<string, unknown>): ArchivePublishedInput {
  const chosen = DOMAINS.filter((d) => a[FLAGS[d]] === true);
  return {
    channel: String(a.channel),
    videos: Array.isArray(a.video) ? [...new Set(a.video as string[])].sort() : [],
    domains: chosen.length > 0 ? chosen : [...DEFAULT_DOMAINS],
    delete: a.delete === true,
  };
}

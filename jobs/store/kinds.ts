// Kinds = the first folder under `uploads/<ns>/` (facts §1.3). Only these are accepted: a free-form kind could
// write into `manifests/` or invent folders nobody looks in.
export const STORE_KINDS = [
  'scripts',
  'audio_final',
  'remotion_mp4',
  'thumbnails',
  'capcut_exports',
  'capcut_draft_packs',
  'episode_asset_pack',
  'misc',
] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export function isStoreKind(v: string): v is StoreKind {
  return (STORE_KINDS as readonly string[]).includes(v);
}

/** The kind a workspace path implies when `--kind` is not given (pass the real path's key: lib/fs/real-path.ts). */
export function inferKind(workspaceRel: string): StoreKind {
  const p = workspaceRel.split('/');
  if (p[0] === 'audio' && p[1] === 'final') return 'audio_final';
  if (p[0] === 'scripts') return 'scripts';
  if (p[0] === 'thumbnails') return 'thumbnails';
  if (p[0] === 'video' && p[1] === 'runs' && p[3] === 'remotion') return 'remotion_mp4';
  return 'misc';
}

/** Heavy items are the only ones eligible for symlink-back (facts §4.11): audio and video. */
export function isHeavy(fileName: string): boolean {
  return /\.(wav|mp4|mov|m4a|flac|aiff?)$/i.test(fileName);
}

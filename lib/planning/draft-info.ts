// `video/runs/<run_id>/capcut_draft_info.json` and PathRef v1 (facts §3.4).

import { isAbsolute, join } from 'node:path';
import { z } from 'zod';

export const PATH_REF_SCHEMA = 'ytm.path_ref.v1';
export const PATH_REF_ROOTS = ['repo', 'workspace', 'capcut_draft_root', 'capcut_fallback_root'] as const;
export type PathRefRoot = (typeof PATH_REF_ROOTS)[number];
export type PathRefRoots = Partial<Record<PathRefRoot, string | null>>;

export interface PathRef {
  schema: typeof PATH_REF_SCHEMA;
  root: PathRefRoot;
  rel: string;
}

const optText = z.string().nullish().catch(undefined);

export const CapcutDraftInfoSchema = z.object({
  draft_name: optText,
  // Kept unvalidated here so one bad ref does not hide draft_path; resolvePathRef validates it.
  draft_path_ref: z.unknown().optional(),
  draft_path: optText,
  created_at: optText,
  project_id: optText,
  template_used: optText,
  title: optText,
  srt_file: optText,
});

export type CapcutDraftInfo = z.infer<typeof CapcutDraftInfoSchema>;

export type CapcutDraftInfoResult = { ok: true; info: CapcutDraftInfo } | { ok: false; error: string };

export function parseCapcutDraftInfo(text: string): CapcutDraftInfoResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `capcut_draft_info.json is not valid JSON: ${(err as Error).message}` };
  }
  const parsed = CapcutDraftInfoSchema.safeParse(data);
  if (!parsed.success) return { ok: false, error: 'capcut_draft_info.json is not a JSON object' };
  return { ok: true, info: parsed.data };
}

const PathRefShape = z.object({ schema: z.literal(PATH_REF_SCHEMA), root: z.enum(PATH_REF_ROOTS), rel: z.string() });

export type PathRefCheck = { ok: true; ref: PathRef } | { ok: false; reason: string };

/** Shape and `rel` rules of path_ref.py: POSIX, relative, no `.`/`..` or empty segments. */
export function validatePathRef(ref: unknown): PathRefCheck {
  const parsed = PathRefShape.safeParse(ref);
  if (!parsed.success) return { ok: false, reason: 'not a ytm.path_ref.v1 {schema, root, rel} with a known root' };
  const { rel } = parsed.data;
  if (rel === '') return { ok: false, reason: 'rel is empty' };
  if (rel.startsWith('/')) return { ok: false, reason: 'rel is absolute' };
  // Backslashes and NUL are refused outright: no real draft name has them, and on a Windows host
  // a backslash would be a separator that slips past the segment check.
  if (rel.includes('\\') || rel.includes('\0')) return { ok: false, reason: 'rel is not a POSIX path' };
  if (rel.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    return { ok: false, reason: 'rel has an empty, "." or ".." segment' };
  }
  return { ok: true, ref: parsed.data };
}

/** Absolute path of a PathRef under the given roots; null when invalid or its root is not configured. */
export function resolvePathRef(ref: unknown, roots: PathRefRoots): string | null {
  const check = validatePathRef(ref);
  if (!check.ok) return null;
  const base = roots[check.ref.root];
  if (typeof base !== 'string' || base === '' || !isAbsolute(base)) return null;
  return join(base, ...check.ref.rel.split('/'));
}

export interface DraftLocation {
  path: string | null;
  via: 'path_ref' | 'draft_path' | null;
}

/**
 * Where the run's draft is: the PathRef when it resolves, else the legacy `draft_path`.
 * `draft_path` is only meaningful on the host that wrote it; callers should call a path that does
 * not exist here "remote/unresolved" rather than "missing" (facts §3.4).
 */
export function draftLocation(
  info: Pick<CapcutDraftInfo, 'draft_path_ref' | 'draft_path'>,
  roots: PathRefRoots,
): DraftLocation {
  const fromRef = info.draft_path_ref == null ? null : resolvePathRef(info.draft_path_ref, roots);
  if (fromRef) return { path: fromRef, via: 'path_ref' };
  const legacy = info.draft_path?.trim();
  if (legacy) return { path: legacy, via: 'draft_path' };
  return { path: null, via: null };
}

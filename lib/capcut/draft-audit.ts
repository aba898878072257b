// The deep audit of one CapCut draft folder (facts §4.8, capcut_draft_integrity_doctor): the three draft JSON
// files present, every JSON parseable (an empty draft_biz_config.json is tolerated), no CapCut placeholder
// tokens, every internal `assets/` `materials/` `common_attachment/` reference present and non-empty, and
// draft_meta_info.json consistent with the folder and draft_info.json. Missing absolute media outside the draft
// are a warning only. Read-only; references into the share are never stat'ed (a hung share blocks stat).
import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../fs/contain.js';
import { statOrNull } from '../fs/exists.js';

export const DRAFT_FILES = ['draft_info.json', 'draft_content.json', 'draft_meta_info.json'] as const;
const PLACEHOLDER_TOKENS = ['##_material_placeholder_', '##_draftpath_placeholder_'];
const INTERNAL_PREFIXES = ['assets/', 'materials/', 'common_attachment/'];
const MEDIA_EXT = /\.(png|jpg|jpeg|webp|mp4|mov|wav|mp3|srt)$/i;
/** A draft's JSON is a few MB at most; anything far larger is not read whole (and counts as unparseable). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** CapCut keeps JSON in a handful of folders; a runaway tree is cut here and said so. */
const MAX_JSON_FILES = 2_000;

export interface DraftAudit {
  dir: string;
  ok: boolean;
  /** Which of the three draft JSON files are there. */
  present: string[];
  requiredMissing: string[];
  jsonParseErrors: string[];
  placeholderRefs: string[];
  missingInternalRefs: string[];
  zeroByteInternalRefs: string[];
  metaIssues: string[];
  /** Warning only: absolute media paths outside the draft that do not exist here. */
  externalMissingRefs: string[];
  /** Absolute media paths on the share: not checked. */
  externalOnShare: number;
  internalRefsChecked: number;
  notes: string[];
}

async function jsonFiles(dir: string, notes: string[]): Promise<string[]> {
  const out: string[] = [];
  const queue = [dir];
  while (queue.length > 0 && out.length < MAX_JSON_FILES) {
    const cur = queue.shift() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(cur, { withFileTypes: true });
    } catch (err) {
      notes.push(`cannot list ${path.relative(dir, cur) || '.'}: ${(err as NodeJS.ErrnoException).code ?? err}`);
      continue;
    }
    // Never through a link: a draft folder linking elsewhere is not the draft's own content.
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(cur, e.name);
      if (e.isDirectory()) queue.push(p);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(p);
    }
  }
  if (out.length >= MAX_JSON_FILES) notes.push(`only the first ${MAX_JSON_FILES} JSON files were read`);
  return out;
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield k;
      yield* strings(v);
    }
  }
}

/** The internal reference inside a string (`…/materials/x.png` → `materials/x.png`), or null. */
export function internalRef(raw: string): string | null {
  for (const prefix of INTERNAL_PREFIXES) {
    const at = raw.startsWith(prefix) ? 0 : raw.indexOf(prefix);
    if (at < 0) continue;
    const rel = raw.slice(at);
    if (MEDIA_EXT.test(rel) || rel.includes('/')) return rel;
  }
  return null;
}

const sameDir = async (a: string, b: string) => {
  const real = async (p: string) => (await realpath(p).catch(() => path.resolve(p))).normalize('NFC');
  return (await real(a)) === (await real(b));
};

async function checkMeta(dir: string, meta: unknown, parsed: Map<string, unknown>, issues: string[]): Promise<void> {
  if (!meta || typeof meta !== 'object') return;
  const m = meta as Record<string, unknown>;
  const fold = typeof m.draft_fold_path === 'string' ? m.draft_fold_path.trim() : '';
  if (fold && !(await sameDir(fold, dir))) issues.push(`draft_fold_path names another folder: ${fold}`);
  const info = parsed.get('draft_info.json') as Record<string, unknown> | undefined;
  if (!info || typeof info !== 'object') return;
  for (const key of ['draft_id', 'draft_name']) {
    const a = String(m[key] ?? '').trim();
    const b = String(info[key] ?? '').trim();
    if (a && b && a !== b) issues.push(`${key} differs between draft_meta_info.json and draft_info.json`);
  }
}

/** Audits `dir` (an existing local draft folder). `shareRoot`: media paths under it are never stat'ed. */
export async function auditDraft(dir: string, opts: { shareRoot: string | null }): Promise<DraftAudit> {
  const a: DraftAudit = {
    dir,
    ok: false,
    present: [],
    requiredMissing: [],
    jsonParseErrors: [],
    placeholderRefs: [],
    missingInternalRefs: [],
    zeroByteInternalRefs: [],
    metaIssues: [],
    externalMissingRefs: [],
    externalOnShare: 0,
    internalRefsChecked: 0,
    notes: [],
  };
  for (const name of DRAFT_FILES) {
    if ((await statOrNull(path.join(dir, name)))?.isFile()) a.present.push(name);
    else a.requiredMissing.push(name);
  }
  const parsed = new Map<string, unknown>();
  const internal = new Set<string>();
  const external = new Set<string>();
  for (const file of await jsonFiles(dir, a.notes)) {
    const rel = path.relative(dir, file);
    const size = (await statOrNull(file))?.size ?? 0;
    if (size === 0 && path.basename(file) === 'draft_biz_config.json') continue;
    let value: unknown;
    try {
      if (size > MAX_JSON_BYTES) throw new Error('too large');
      value = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      a.jsonParseErrors.push(rel);
      continue;
    }
    if (rel === path.basename(rel)) parsed.set(rel, value);
    for (const s of strings(value)) {
      const raw = s.startsWith('file://') ? s.slice('file://'.length) : s;
      if (raw.length < 4) continue;
      if (PLACEHOLDER_TOKENS.some((t) => raw.includes(t))) a.placeholderRefs.push(raw);
      const ref = internalRef(raw);
      if (ref) internal.add(ref);
      else if (raw.startsWith('/') && MEDIA_EXT.test(raw)) external.add(raw);
    }
  }
  await checkMeta(dir, parsed.get('draft_meta_info.json'), parsed, a.metaIssues);
  for (const ref of [...internal].sort()) {
    const p = path.join(dir, ref);
    a.internalRefsChecked += 1;
    // A reference climbing out of the draft (`materials/../../x`) cannot be one of its own files.
    const st = isInside(dir, p) ? await statOrNull(p).catch(() => null) : null;
    if (!st) a.missingInternalRefs.push(ref);
    else if (st.isFile() && st.size === 0) a.zeroByteInternalRefs.push(ref);
  }
  for (const ref of [...external].sort()) {
    if (opts.shareRoot && isInside(opts.shareRoot, ref, { caseInsensitive: true })) {
      a.externalOnShare += 1;
      continue;
    }
    if (!(await statOrNull(ref).catch(() => null))) a.externalMissingRefs.push(ref);
  }
  a.ok =
    a.requiredMissing.length === 0 &&
    a.jsonParseErrors.length === 0 &&
    a.placeholderRefs.length === 0 &&
    a.missingInternalRefs.length === 0 &&
    a.zeroByteInternalRefs.length === 0 &&
    a.metaIssues.length === 0;
  return a;
}

const firstOf = (items: readonly string[]) =>
  items.length > 0 ? ` (${items.slice(0, 2).join(', ')}${items.length > 2 ? ', …' : ''})` : '';

/** The audit in one line: `ok: …` or `BROKEN: …` with the first examples of each problem. */
export function auditVerdict(a: DraftAudit): string {
  const problems: string[] = [];
  if (a.requiredMissing.length > 0) problems.push(`missing ${a.requiredMissing.join(', ')}`);
  if (a.jsonParseErrors.length > 0)
    problems.push(`${a.jsonParseErrors.length} unparseable JSON${firstOf(a.jsonParseErrors)}`);
  if (a.placeholderRefs.length > 0) problems.push(`${a.placeholderRefs.length} placeholder ref(s)`);
  if (a.missingInternalRefs.length > 0)
    problems.push(`${a.missingInternalRefs.length} internal ref(s) missing${firstOf(a.missingInternalRefs)}`);
  if (a.zeroByteInternalRefs.length > 0)
    problems.push(`${a.zeroByteInternalRefs.length} internal ref(s) empty${firstOf(a.zeroByteInternalRefs)}`);
  problems.push(...a.metaIssues);
  const warnings: string[] = [];
  if (a.externalMissingRefs.length > 0) warnings.push(`${a.externalMissingRefs.length} external media missing`);
  if (a.externalOnShare > 0) warnings.push(`${a.externalOnShare} external media on the share not checked`);
  const tail = warnings.length > 0 ? `; warning: ${warnings.join(', ')}` : '';
  if (problems.length > 0) return `BROKEN: ${problems.join('; ')}${tail}`;
  return `ok: ${a.present.length} draft files, ${a.internalRefsChecked} internal ref(s) present${tail}`;
}

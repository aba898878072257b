// `ytm relink CHxx-NNN` without --draft: the episode's wiring and up to 10 candidate drafts, newest first, each
// with the draft files it holds and the deep audit's verdict. Read-only; it never picks a draft.
import path from 'node:path';
import { type DraftRoot, findDraftCandidates, RELATION_WORDS } from '../../lib/capcut/candidates.js';
import { auditDraft, auditVerdict, DRAFT_FILES } from '../../lib/capcut/draft-audit.js';
import type { JobContext } from '../engine/types.js';
import { type WiringState, wiringState } from './state.js';

export const MAX_CANDIDATES = 10;

export interface CandidateView {
  path: string;
  name: string;
  root: DraftRoot['key'];
  mtime: string;
  /** Which of the three draft JSON files it holds. */
  files: string[];
  relation: string;
  ok: boolean;
  verdict: string;
  /** The run's link already leads here. */
  linked: boolean;
}

export interface RelinkListing extends WiringState {
  kind: 'relink.candidates';
  roots: DraftRoot[];
  candidates: CandidateView[];
  totalCandidates: number;
  errors: string[];
}

export function isRelinkListing(v: unknown): v is RelinkListing {
  const o = v as Partial<RelinkListing> | null;
  return !!o && o.kind === 'relink.candidates' && Array.isArray(o.candidates) && typeof o.episode === 'string';
}

export function draftRoots(ctx: JobContext): DraftRoot[] {
  return [
    { key: 'capcut_draft_root', dir: ctx.paths.capcutDraftRoot },
    { key: 'capcut_fallback_root', dir: ctx.paths.capcutFallbackRoot },
  ];
}

/** The names the run pointed at (link target, info paths): what `(N)`, truncated and 完成★ names relate to. */
function oldNames(w: WiringState): string[] {
  const names = [w.link?.resolved, w.info?.resolved, w.info?.draftPath].filter(
    (p): p is string => typeof p === 'string' && p !== '',
  );
  return [...new Set(names.map((p) => path.basename(p)))];
}

export async function relinkListing(ctx: JobContext, episode: string): Promise<RelinkListing> {
  const wiring = await wiringState(ctx, episode);
  const roots = draftRoots(ctx);
  const found = await findDraftCandidates(episode, roots, oldNames(wiring));
  const shown = found.candidates.slice(0, MAX_CANDIDATES);
  const linkedTo = wiring.link?.state === 'ok' ? wiring.link.resolved : null;
  const candidates = await Promise.all(
    shown.map(async (c): Promise<CandidateView> => {
      const audit = await auditDraft(c.path, { shareRoot: ctx.paths.sharedRoot });
      return {
        path: c.path,
        name: c.name,
        root: c.root,
        mtime: new Date(c.mtimeMs).toISOString(),
        files: DRAFT_FILES.filter((f) => audit.present.includes(f)),
        relation: RELATION_WORDS[c.relation],
        ok: audit.ok,
        verdict: auditVerdict(audit),
        linked: linkedTo !== null && path.resolve(linkedTo).normalize('NFC') === c.path.normalize('NFC'),
      };
    }),
  );
  return {
    kind: 'relink.candidates',
    ...wiring,
    roots,
    candidates,
    totalCandidates: found.candidates.length,
    errors: found.errors,
  };
}

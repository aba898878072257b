// Candidate drafts for an episode (facts §4.8, §4.9): folders directly under the CapCut draft root and the local
// drafts root (`video/_capcut_drafts`) whose name carries the episode id, newest first (mtime, then name, both
// descending, as the predecessor sorted). Each says how its name relates to the name the run pointed at:
// CapCut's `(N)` copy, a name the OS cut short, a `完成★` rename. Names are compared NFC (macOS stores them
// decomposed).
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export type DraftRootKey = 'capcut_draft_root' | 'capcut_fallback_root';

export interface DraftRoot {
  key: DraftRootKey;
  dir: string;
}

export type DraftRelation = 'same_name' | 'numbered_copy' | 'truncated' | 'finished_rename' | 'same_episode';

export interface DraftCandidate {
  path: string;
  name: string;
  root: DraftRootKey;
  mtimeMs: number;
  relation: DraftRelation;
}

const nfc = (s: string) => s.normalize('NFC');
const NUMBERED = /\(\d+\)$/;
const FINISHED = /^完成[★☆]?/;

/** Whether a draft folder name carries `episode` (`CH02-043`), not as part of a longer id (`CH02-0431`). */
export function draftNameHasEpisode(name: string, episode: string): boolean {
  const re = new RegExp(`(?<![A-Za-z0-9])${episode.toUpperCase()}(?!\\d)`);
  return re.test(nfc(name).toUpperCase());
}

/** How `name` relates to `old`, the most specific relation first. */
function relationTo(n: string, old: string): DraftRelation {
  const unnumbered = (s: string) => s.replace(NUMBERED, '');
  const unfinished = (s: string) => s.replace(FINISHED, '★');
  if (n === old) return 'same_name';
  if (unnumbered(old) === unnumbered(n)) return 'numbered_copy';
  if (FINISHED.test(n) && unnumbered(unfinished(old)) === unnumbered(unfinished(n))) return 'finished_rename';
  // The OS cut a long name: the folder's name is a proper prefix of the name that was written down.
  if (old.length > n.length && old.startsWith(n)) return 'truncated';
  return 'same_episode';
}

/** How `name` relates to the names the run pointed at (`old`, the link's first: that is what broke). */
export function draftRelation(name: string, old: readonly string[]): DraftRelation {
  for (const o of old) {
    if (o === '') continue;
    const r = relationTo(nfc(name), nfc(o));
    if (r !== 'same_episode') return r;
  }
  return 'same_episode';
}

export const RELATION_WORDS: Record<DraftRelation, string> = {
  same_name: 'the name the run points at',
  numbered_copy: "CapCut's (N) copy of that name",
  truncated: 'that name cut short by the OS',
  finished_rename: 'that name renamed 完成★',
  same_episode: 'same episode id',
};

/** Every candidate in `roots` (missing roots are skipped), newest first. */
export async function findDraftCandidates(
  episode: string,
  roots: readonly DraftRoot[],
  oldNames: readonly string[],
): Promise<{ candidates: DraftCandidate[]; errors: string[] }> {
  const candidates: DraftCandidate[] = [];
  const errors: string[] = [];
  for (const root of roots) {
    let entries: Dirent[];
    try {
      entries = await readdir(root.dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') errors.push(`cannot list ${root.dir}: ${code ?? err}`);
      continue;
    }
    for (const e of entries) {
      // Real folders only: a link in the draft root is not a draft CapCut made.
      if (!e.isDirectory() || e.name.startsWith('.') || !draftNameHasEpisode(e.name, episode)) continue;
      const p = path.join(root.dir, e.name);
      const mtimeMs = await stat(p).then(
        (s) => s.mtimeMs,
        () => 0,
      );
      candidates.push({ path: p, name: e.name, root: root.key, mtimeMs, relation: draftRelation(e.name, oldNames) });
    }
  }
  candidates.sort(
    (a, b) => b.mtimeMs - a.mtimeMs || (nfc(a.name) < nfc(b.name) ? 1 : nfc(a.name) > nfc(b.name) ? -1 : 0),
  );
  return { candidates, errors };
}

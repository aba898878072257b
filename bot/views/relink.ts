// `/ytm relink CHxx-NNN` in Slack: the run, where its link and info point and why that is broken, then one
// section per candidate draft (newest first: mtime, draft files, how its name relates, the deep audit's verdict)
// with a "Use this draft" button. The button only names the episode, the draft root and the draft's path under
// it; the bot re-checks that and the planning child judges the real path again. At most 10 candidates: with the
// head and footer that stays far below 50 blocks; every section is clipped to 3000 characters, and long names
// and verdicts are shortened (then candidates left out, pointing at the terminal) to stay under the message cap.
import type { CandidateView, RelinkListing } from '../../jobs/relink/listing.js';
import { type Block, button, clip, context, esc, header, jsonSize, SLACK_LIMITS, section } from './limits.js';

export const RELINK_USE_DRAFT_ACTION = 'relink.use_draft';

/** What a "Use this draft" button carries: episode, draft root key and the draft's path relative to that root. */
export interface UseDraftValue {
  e: string;
  r: CandidateView['root'];
  n: string;
}

function relativeTo(listing: RelinkListing, c: CandidateView): string | null {
  const root = listing.roots.find((r) => r.key === c.root)?.dir;
  if (!root || !c.path.startsWith(`${root}/`)) return null;
  return c.path.slice(root.length + 1);
}

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** How much of a candidate's name and verdict a section shows; shortened when the message gets too long. */
interface Detail {
  name: number;
  verdict: number;
}
const DETAILS: readonly Detail[] = [
  { name: 300, verdict: 1200 },
  { name: 160, verdict: 300 },
  { name: 80, verdict: 120 },
];

function candidateBlock(listing: RelinkListing, c: CandidateView, i: number, d: Detail): Block {
  const rel = relativeTo(listing, c);
  const where = c.root === 'capcut_fallback_root' ? 'local drafts' : 'CapCut';
  const text = [
    `*${i + 1}. ${esc(clip(c.name, d.name))}*${c.linked ? '  _(linked now)_' : ''}`,
    `${when(c.mtime)} · ${where} · ${c.files.length > 0 ? c.files.map((f) => `\`${f}\``).join(' ') : 'no draft files'} · ${esc(c.relation)}`,
    `${c.ok ? ':white_check_mark:' : ':x:'} ${esc(clip(c.verdict, d.verdict))}`,
  ].join('\n');
  const block: Block = { ...section(text), block_id: `relink.candidate.${i}` };
  if (rel && !c.linked) {
    const value: UseDraftValue = { e: listing.episode, r: c.root, n: rel };
    block.accessory = button(
      'Use this draft',
      RELINK_USE_DRAFT_ACTION,
      JSON.stringify(value),
      c.ok ? 'primary' : undefined,
    );
  }
  return block;
}

function headLines(l: RelinkListing): string {
  if (!l.run) return `:warning: *${l.episode}* has no video run in \`video/runs\`: there is nothing to relink.`;
  const via = l.run.via === 'video_run_id' ? "status.json's `video_run_id`" : 'the newest run with draft info';
  const lines = [`Run \`${esc(l.run.runId)}\` (chosen by ${via})`];
  if (l.link)
    lines.push(
      `• \`capcut_draft\` ${l.link.kind === 'symlink' ? `→ \`${esc(clip(l.link.target ?? '', 400))}\`` : `is ${l.link.kind}`}`,
    );
  if (l.info) {
    const where = l.info.resolved
      ? `→ \`${esc(clip(l.info.resolved, 400))}\``
      : l.info.exists
        ? 'names no draft'
        : 'is missing';
    lines.push(`• \`capcut_draft_info.json\` ${where}`);
  }
  if (l.problems.length === 0)
    lines.push(':white_check_mark: The link and the info agree and the draft is on this Mac.');
  else lines.push('*Broken because:*', ...l.problems.map((p) => `• ${esc(clip(p, 500))}`));
  return lines.join('\n');
}

function blocksFor(l: RelinkListing, d: Detail, shown: number): Block[] {
  const blocks: Block[] = [header(`Relink ${l.episode}`), section(headLines(l))];
  if (l.candidates.length === 0) {
    blocks.push(
      section(`No draft with *${l.episode}* in its name under the CapCut draft root or the local drafts root.`),
    );
    return blocks;
  }
  blocks.push(
    section(`*Candidate drafts, newest first* (${shown} of ${l.totalCandidates}). Nothing is picked for you:`),
  );
  l.candidates.slice(0, shown).forEach((c, i) => {
    blocks.push(candidateBlock(l, c, i, d));
  });
  const more = shown < l.candidates.length ? ` The others: \`ytm relink ${l.episode}\` in a terminal.` : '';
  blocks.push(
    context(
      `"Use this draft" posts a plan (old link kept as a backup, new link, updated capcut_draft_info.json); nothing changes until it is approved.${more}`,
    ),
  );
  return blocks;
}

/** Shorter candidate sections first, then fewer candidates, until the message fits Slack's length cap. */
export function relinkCandidatesView(l: RelinkListing): { text: string; blocks: Block[] } {
  let blocks: Block[] = [];
  for (let shown = l.candidates.length; shown >= 0; shown--) {
    for (const d of DETAILS) {
      blocks = blocksFor(l, d, shown);
      if (jsonSize(blocks) <= SLACK_LIMITS.messageBlocksJson) break;
    }
    if (jsonSize(blocks) <= SLACK_LIMITS.messageBlocksJson) break;
  }
  const broken = l.problems.length > 0 ? 'broken' : 'healthy';
  return { text: `Relink ${l.episode}: wiring ${broken}, ${l.totalCandidates} candidate draft(s)`, blocks };
}

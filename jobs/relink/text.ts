// The candidate listing as text for a terminal.
import type { RelinkListing } from './listing.js';
import { DRAFT_INFO, DRAFT_LINK } from './state.js';

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export function listingText(l: RelinkListing): string {
  const lines: string[] = [];
  if (!l.run) {
    lines.push(`relink ${l.episode}: no video run in video/runs, so there is nothing to relink`);
  } else {
    const via = l.run.via === 'video_run_id' ? "status.json's video_run_id" : 'the newest run with draft info';
    lines.push(`relink ${l.episode}: run ${l.run.runId} (chosen by ${via}; ${l.run.runs} run(s))`);
    const link = l.link;
    if (link) lines.push(`  ${DRAFT_LINK}: ${link.kind === 'symlink' ? `→ ${link.target}` : link.kind}`);
    const info = l.info;
    if (info) {
      const where = info.resolved
        ? `${info.via === 'path_ref' ? 'draft_path_ref' : 'draft_path'} → ${info.resolved}`
        : '';
      lines.push(`  ${DRAFT_INFO}: ${info.exists ? where || 'names no draft' : 'missing'}`);
    }
    if (l.problems.length === 0) lines.push('  the link and the info agree and the draft is on this Mac');
    else lines.push('  broken because:', ...l.problems.map((p) => `    - ${p}`));
  }
  const roots = l.roots.map((r) => r.dir).join(' and ');
  if (l.candidates.length === 0) {
    lines.push(`no candidate draft with ${l.episode} in its name under ${roots}`);
  } else {
    lines.push(`candidate drafts, newest first (${l.candidates.length} of ${l.totalCandidates}, from ${roots}):`);
    l.candidates.forEach((c, i) => {
      lines.push(`  ${i + 1}. ${c.path}${c.linked ? '   [linked now]' : ''}`);
      lines.push(
        `     ${when(c.mtime)} · ${c.files.length > 0 ? c.files.join(', ') : 'no draft files'} · ${c.relation}`,
      );
      lines.push(`     ${c.verdict}`);
    });
    lines.push(`to relink: ytm relink ${l.episode} --draft "<one of the paths above>" [--run]`);
  }
  for (const e of l.errors) lines.push(`warning: ${e}`);
  return lines.join('\n');
}

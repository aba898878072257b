// What to do about a finding. A command is named only while the grammar marks it available (so the advice
// follows as relink, vault, mirror and archive land); until then the advice is the manual step.
import { findCommand } from '../grammar.js';
import type { FindingCode } from './report.js';

interface Advice {
  /** The command that fixes it, when it exists: its name in the grammar and how to run it. */
  command?: { name: string; run: string };
  /** What to do by hand, when that command is not available. */
  manual: string;
}

const ADVICE: Partial<Record<FindingCode, Advice>> = {
  VAULT_ABSOLUTE_SYMLINK: {
    command: { name: 'vault', run: 'ytm vault' },
    manual:
      'replace each link listed by one with a relative target (ln -sfn <relative target> <link>) inside the vault',
  },
  HOT_RUN_SYMLINK_BROKEN: {
    command: { name: 'relink', run: 'ytm relink CHxx-NNN' },
    manual: "point the run's capcut_draft link at the draft folder on this Mac (ln -sfn <draft folder> capcut_draft)",
  },
  HOT_POINTS_TO_SHARE: {
    command: { name: 'relink', run: 'ytm relink CHxx-NNN' },
    manual: "copy the draft to this Mac's CapCut drafts folder and point the run's capcut_draft link at the copy",
  },
  HOT_DRAFT_MISSING: {
    command: { name: 'relink', run: 'ytm relink CHxx-NNN' },
    manual: 'restore the CapCut draft on this Mac (from the vault or CapCut itself), then link the run to it',
  },
  MIRROR_STALE: {
    command: { name: 'mirror', run: 'ytm mirror' },
    manual: "run the workspace mirror to the vault on this Mac and check its log under the workspace's logs/ops",
  },
  MIRROR_FAILED: {
    command: { name: 'mirror', run: 'ytm mirror' },
    manual: "read the failed mirror run's log under the workspace's logs/ops, fix the cause and run the mirror again",
  },
  OUTBOX_PENDING: {
    command: { name: 'outbox', run: 'ytm outbox flush' },
    manual: 'copy the outbox files to the share once it is up',
  },
  DISK_WARN: {
    command: { name: 'archive', run: 'ytm archive published --channel CHxx' },
    manual: "free space: move posted episodes' audio and drafts off this disk",
  },
  DISK_STOP: {
    command: { name: 'archive', run: 'ytm archive published --channel CHxx' },
    manual: "free space now: move posted episodes' audio and drafts off this disk",
  },
  PLANNING_FALLBACK: { manual: 'make YTM_PLANNING_ROOT reachable (mount the share) or point it at the local copy' },
  BROKEN_SYMLINK: { manual: 'repair or remove each link listed (the report lists them all)' },
};

/**
 * One line of advice for a finding, or undefined when there is nothing to advise. A per-episode command names
 * the first episode among the finding's items (`CH02-043: …`), so it can be run as printed.
 */
export function adviceFor(code: FindingCode, items: readonly string[] = []): string | undefined {
  const a = ADVICE[code];
  if (!a) return undefined;
  if (!a.command || !findCommand(a.command.name)?.available) return a.manual;
  const episode = items.map((i) => /^CH\d{2}-\d{3}\b/.exec(i)?.[0]).find(Boolean);
  const run = episode ? a.command.run.replace('CHxx-NNN', episode) : a.command.run;
  return `run \`${run}\``;
}

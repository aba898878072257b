import type { Dirent } from 'node:fs';
import { readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { backupLinkKind, classifyLinkTarget, inspectLink } from '../../lib/fs/links.js';
import type { GuardLease } from '../../lib/guard/lease.js';
import type { ExistsState } from '../../lib/guard/ops.js';
import { runGuarded } from '../../lib/guard/run.js';
import { walkSymlinks } from '../../lib/scan/walk.js';
import type { ShareState } from '../../lib/share/state.js';
import { finding, Tally } from './findings.js';
import type { Finding } from './report.js';

// BROKEN_SYMLINK over the areas where the predecessor saw them pile up (facts §7 row 2). Links whose target
// lies on the share are checked in a guarded child (one batch), never from this process, because a hung
// SMB share blocks stat forever.

export const LINK_AREAS = ['video/input', 'video/runs', 'episodes'] as const;

export type LinkVerdict = 'ok' | 'broken' | 'backup' | 'unchecked';

export interface LinkInfo {
  verdict: LinkVerdict;
  target: string;
  absoluteTarget: string;
  intoShare: boolean;
}

export interface LinkScan {
  findings: Finding[];
  /** Every link seen, by absolute path (the Hot checks reuse these verdicts). */
  links: Map<string, LinkInfo>;
  /** Directory listings of `video/runs` and each run folder, from the same walk. */
  runsListing: Map<string, Dirent[]>;
  scanned: number;
  entries: number;
  backupLinks: number;
  incomplete: string | null;
}

export async function scanLinks(
  workspaceRoot: string,
  shareRoot: string | null,
  shareState: Promise<ShareState>,
  /** `lease`: held by the child that checks link targets on the share (one child per share root at a time). */
  opts: { shareTimeoutMs: number; signal?: AbortSignal; lease?: GuardLease },
): Promise<LinkScan> {
  const runsRoot = path.join(workspaceRoot, 'video', 'runs');
  const runsListing = new Map<string, Dirent[]>();
  const walks = await Promise.all(
    LINK_AREAS.map((area) =>
      walkSymlinks(path.join(workspaceRoot, area), {
        ...(opts.signal ? { signal: opts.signal } : {}),
        onDirectory: (dir, entries) => {
          if (dir === runsRoot || path.dirname(dir) === runsRoot) runsListing.set(dir, entries);
        },
      }),
    ),
  );

  // The walk only reads the workspace; it runs while the share is being probed. Link targets wait for the verdict.
  const share = { state: await shareState, root: shareRoot };
  const links = new Map<string, LinkInfo>();
  const shareTargets: string[] = [];
  const shareLinks: string[] = [];
  const shareHung = share.state === 'hung';
  const checkShareTargets = share.root !== null && share.state !== 'hung' && share.state !== 'unconfigured';

  await mapLimit(
    walks.flatMap((w) => w.links),
    32,
    async (linkPath) => {
      const name = path.basename(linkPath);
      let target: string;
      try {
        target = await readlink(linkPath);
      } catch {
        return;
      }
      const info = classifyLinkTarget(linkPath, target, { shareRoot: share.root });
      const base = { target, absoluteTarget: info.absoluteTarget, intoShare: info.intoShare };
      if (backupLinkKind(name)) {
        links.set(linkPath, { ...base, verdict: 'backup' });
        return;
      }
      if (info.intoShare) {
        links.set(linkPath, { ...base, verdict: 'unchecked' });
        if (checkShareTargets) {
          shareLinks.push(linkPath);
          shareTargets.push(info.absoluteTarget);
        }
        return;
      }
      // With a hung share, a local link may still chain through it: inspect component by component.
      const verdict = shareHung
        ? (await inspectLink(linkPath, { shareRoot: share.root }).catch(() => ({ state: 'broken' as const }))).state
        : await stat(info.absoluteTarget).then(
            () => 'ok' as const,
            () => 'broken' as const,
          );
      links.set(linkPath, { ...base, verdict });
    },
  );

  let incomplete: string | null = null;
  if (shareTargets.length > 0) {
    const r = await runGuarded<ExistsState[]>(
      { op: 'exists', paths: shareTargets },
      { timeoutMs: opts.shareTimeoutMs, ...(opts.lease ? { lease: opts.lease } : {}) },
    );
    if (r.ok) {
      r.value.forEach((state, i) => {
        const link = links.get(shareLinks[i] as string);
        if (link) link.verdict = state === 'exists' ? 'ok' : 'broken';
      });
    } else {
      incomplete = `links into the share were not checked: ${r.message}`;
    }
  }

  const perArea: Record<string, number> = {};
  const tally = new Tally();
  let unchecked = 0;
  let backupLinks = 0;
  const sorted = [...links.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [linkPath, info] of sorted) {
    if (info.verdict === 'backup') backupLinks += 1;
    if (info.verdict === 'unchecked') unchecked += 1;
    if (info.verdict !== 'broken') continue;
    const rel = path.relative(workspaceRoot, linkPath);
    const area = LINK_AREAS.find((a) => rel === a || rel.startsWith(`${a}/`)) ?? 'other';
    perArea[area] = (perArea[area] ?? 0) + 1;
    tally.add(`${rel} -> ${info.target}`);
  }
  const findings: Finding[] = [];
  if (tally.count > 0) {
    const parts = LINK_AREAS.filter((a) => perArea[a]).map((a) => `${a} ${perArea[a]}`);
    const extra = [
      backupLinks ? `${backupLinks} backup link(s) counted apart` : '',
      unchecked ? `${unchecked} link(s) into the share not checked (share ${share.state})` : '',
    ].filter(Boolean);
    findings.push(
      finding(
        'BROKEN_SYMLINK',
        tally.count,
        `${tally.count} broken link(s): ${parts.join(', ')}${extra.length ? `; ${extra.join('; ')}` : ''}`,
        tally.examples,
        perArea,
      ),
    );
  }
  const walkErrors = walks.flatMap((w) => w.errors);
  if (walkErrors.length > 0) {
    incomplete = [incomplete, `${walkErrors.length} folder(s) could not be read, e.g. ${walkErrors[0]?.path}`]
      .filter(Boolean)
      .join('; ');
  }
  return {
    findings,
    links,
    runsListing,
    scanned: links.size,
    entries: walks.reduce((n, w) => n + w.entries, 0),
    backupLinks,
    incomplete,
  };
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

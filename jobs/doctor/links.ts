import type { Dirent } from 'node:fs';
import { readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../../lib/fs/contain.js';
import { errCode, isMissingError } from '../../lib/fs/errors.js';
import { backupLinkKind, classifyLinkTarget, inspectLink } from '../../lib/fs/links.js';
import type { GuardLease } from '../../lib/guard/lease.js';
import type { ExistsState } from '../../lib/guard/ops.js';
import { runGuarded } from '../../lib/guard/run.js';
import { walkSymlinks } from '../../lib/scan/walk.js';
import { type NetworkMounts, remoteRootOf } from '../../lib/share/network-mounts.js';
import type { ShareState } from '../../lib/share/state.js';
import { finding, Tally } from './findings.js';
import type { Finding } from './report.js';

// BROKEN_SYMLINK over the areas where the predecessor saw them pile up (facts §7 row 2). Links whose target
// lies on the share, or on any other network file system in the mount table (an older mount of the same share,
// Finder's /Volumes/…), are checked in guarded children (one batch per mount), never from this process, because
// a hung network mount blocks stat forever. Only ENOENT/ENOTDIR/ELOOP make a link broken: EPERM (macOS privacy
// settings), EACCES or EIO make it "could not check" (CHECK_INCOMPLETE), never a false BROKEN_SYMLINK.

export const LINK_AREAS = ['video/input', 'video/runs', 'episodes'] as const;

export type LinkVerdict = 'ok' | 'broken' | 'backup' | 'unchecked' | 'unreadable';

export interface LinkInfo {
  verdict: LinkVerdict;
  target: string;
  absoluteTarget: string;
  intoShare: boolean;
  /** Mountpoint of the other network file system the target is on, or null. */
  remoteRoot: string | null;
  /** For 'unreadable': the error code (EPERM, EIO…). */
  error?: string;
}

export interface LinkScan {
  findings: Finding[];
  /** Every link seen, by absolute path (the Hot checks reuse these verdicts). */
  links: Map<string, LinkInfo>;
  /** Directory listings of `video/runs` and each run folder, from the same walk. */
  runsListing: Map<string, Dirent[]>;
  /** Network mountpoints other than the share (never stat'ed in this process). */
  networkRoots: string[];
  scanned: number;
  entries: number;
  backupLinks: number;
  incomplete: string | null;
}

/** What to do about a check that failed with EPERM/EACCES (shown in CHECK_INCOMPLETE). */
export const ACCESS_HINT =
  'on macOS, EPERM/EACCES for the bot usually means the LaunchAgent may not read network volumes or this folder: ' +
  'allow node in System Settings > Privacy & Security (Files and Folders > Network Volumes, or Full Disk Access)';

/** One line for checks that failed with these codes, with the access hint when a permission code is among them. */
export function couldNotCheck(what: string, codes: string[]): string {
  const byCode = new Map<string, number>();
  for (const c of codes) byCode.set(c, (byCode.get(c) ?? 0) + 1);
  const list = [...byCode].map(([c, n]) => `${c} x${n}`).join(', ');
  const denied = codes.some((c) => c === 'EPERM' || c === 'EACCES');
  return `${what} could not be checked (${list})${denied ? `; ${ACCESS_HINT}` : ''}`;
}

const stateVerdict = (state: ExistsState): Pick<LinkInfo, 'verdict' | 'error'> =>
  state === 'exists'
    ? { verdict: 'ok' }
    : state === 'missing'
      ? { verdict: 'broken' }
      : { verdict: 'unreadable', error: state.slice('error:'.length) };

/** The verdict of a stat (or link walk) that threw `err`. */
const errorVerdict = (err: unknown): Pick<LinkInfo, 'verdict' | 'error'> =>
  isMissingError(err) ? { verdict: 'broken' } : { verdict: 'unreadable', error: errCode(err) ?? 'unknown' };

export async function scanLinks(
  workspaceRoot: string,
  shareRoot: string | null,
  shareState: Promise<ShareState>,
  /**
   * `lease`: held by the child that checks link targets on the share (one child per share root at a time).
   * `networkMounts`: this host's network mounts (readNetworkMounts); the share root among them is the share.
   */
  opts: { shareTimeoutMs: number; signal?: AbortSignal; lease?: GuardLease; networkMounts: Promise<NetworkMounts> },
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
  const mounts = await opts.networkMounts;
  const networkRoots = mounts.roots.filter((r) => !(share.root && isInside(share.root, r)));
  const links = new Map<string, LinkInfo>();
  // Targets to check in guarded children, by the root they are on (the share root first).
  const batches = new Map<string, { links: string[]; targets: string[] }>();
  const queue = (root: string, linkPath: string, target: string) => {
    const b = batches.get(root) ?? { links: [], targets: [] };
    b.links.push(linkPath);
    b.targets.push(target);
    batches.set(root, b);
  };
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
      const remoteRoot = info.intoShare ? null : remoteRootOf(info.absoluteTarget, networkRoots);
      const base = { target, absoluteTarget: info.absoluteTarget, intoShare: info.intoShare, remoteRoot };
      if (backupLinkKind(name)) {
        links.set(linkPath, { ...base, verdict: 'backup' });
        return;
      }
      if (info.intoShare || remoteRoot) {
        links.set(linkPath, { ...base, verdict: 'unchecked' });
        if (remoteRoot) queue(remoteRoot, linkPath, info.absoluteTarget);
        else if (checkShareTargets && share.root) queue(share.root, linkPath, info.absoluteTarget);
        return;
      }
      // With a hung share, a local link may still chain through it: inspect component by component.
      const checked = shareHung
        ? await inspectLink(linkPath, { shareRoot: share.root }).then((l) => ({ verdict: l.state }), errorVerdict)
        : await stat(info.absoluteTarget).then(() => ({ verdict: 'ok' as const }), errorVerdict);
      links.set(linkPath, { ...base, ...checked });
    },
  );

  const notChecked: string[] = mounts.problem ? [mounts.problem] : [];
  await Promise.all(
    [...batches].map(async ([root, batch]) => {
      const lease = root === share.root ? opts.lease : opts.lease && { stateDir: opts.lease.stateDir, root };
      const r = await runGuarded<ExistsState[]>(
        { op: 'exists', paths: batch.targets },
        { timeoutMs: opts.shareTimeoutMs, ...(lease ? { lease } : {}) },
      );
      if (!r.ok) {
        notChecked.push(`links into ${root === share.root ? 'the share' : root} were not checked: ${r.message}`);
        return;
      }
      r.value.forEach((state, i) => {
        const link = links.get(batch.links[i] as string);
        if (link) Object.assign(link, stateVerdict(state));
      });
    }),
  );

  const perArea: Record<string, number> = {};
  const tally = new Tally();
  let unchecked = 0;
  let backupLinks = 0;
  const unreadable: { rel: string; info: LinkInfo }[] = [];
  const sorted = [...links.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [linkPath, info] of sorted) {
    const rel = path.relative(workspaceRoot, linkPath);
    if (info.verdict === 'backup') backupLinks += 1;
    if (info.verdict === 'unchecked') unchecked += 1;
    if (info.verdict === 'unreadable') unreadable.push({ rel, info });
    if (info.verdict !== 'broken') continue;
    const area = LINK_AREAS.find((a) => rel === a || rel.startsWith(`${a}/`)) ?? 'other';
    perArea[area] = (perArea[area] ?? 0) + 1;
    tally.add(`${rel} -> ${info.target}`);
  }
  if (unreadable.length > 0) {
    const first = unreadable[0] as { rel: string; info: LinkInfo };
    notChecked.push(
      couldNotCheck(
        `${unreadable.length} link(s), e.g. ${first.rel} -> ${first.info.target},`,
        unreadable.map((u) => u.info.error ?? 'unknown'),
      ),
    );
  }
  const findings: Finding[] = [];
  if (tally.count > 0) {
    const parts = LINK_AREAS.filter((a) => perArea[a]).map((a) => `${a} ${perArea[a]}`);
    const extra = [
      backupLinks ? `${backupLinks} backup link(s) counted apart` : '',
      unchecked
        ? `${unchecked} link(s) into the share or other network volumes not checked (share ${share.state})`
        : '',
      unreadable.length ? `${unreadable.length} link(s) could not be checked` : '',
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
    notChecked.push(`${walkErrors.length} folder(s) could not be read, e.g. ${walkErrors[0]?.path}`);
  }
  return {
    findings,
    links,
    runsListing,
    networkRoots,
    scanned: links.size,
    entries: walks.reduce((n, w) => n + w.entries, 0),
    backupLinks,
    incomplete: notChecked.length > 0 ? notChecked.join('; ') : null,
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

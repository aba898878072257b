// Symlink classification for scanners: which links are tool-made backups (counted apart, never reported
// as broken), where a link points, and whether it is broken, without ever stat'ing into the share unless
// the caller says it is safe (a hung SMB share blocks stat forever).
import { readlink, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { isInside } from './contain.js';
import { isMissingError } from './errors.js';
import { walkPhysical } from './walk.js';

export type BackupLinkKind = 'shared_backup' | 'relink_backup' | 'vault_doctor_backup' | 'atomic_tmp' | 'manual_backup';

// Name patterns from python-ops-facts §1.6. The stamp part is matched loosely (any non-empty text):
// the predecessor matched these by substring/glob, and a backup misread as a broken link is a false alert.
const BACKUP_PATTERNS: ReadonlyArray<readonly [RegExp, BackupLinkKind]> = [
  // <name>.symlink_shared_backup_<STAMP>[__N|__pid<PID>]  (offline_shared_fallback)
  [/^.+\.symlink_shared_backup_.+$/s, 'shared_backup'],
  // capcut_draft.symlink_backup__<STAMP>  (relink_capcut_draft)
  [/^capcut_draft\.symlink_backup__.+$/s, 'relink_backup'],
  // scripts.__bak_<STAMP>  (vault_workspaces_doctor)
  [/^scripts\.__bak_.+$/s, 'vault_doctor_backup'],
  // .tmp__<name>__<pid>, and ours: .tmp__<name>__<pid>__<random>  (atomic writes)
  [/^\.tmp__.+__\d+(?:__[0-9A-Za-z]+)?$/s, 'atomic_tmp'],
  // assets.symlink_*  (manual backups under thumbnails/)
  [/^assets\.symlink_.+$/s, 'manual_backup'],
];

/** Kind of tool-made backup/temp name, or null for an ordinary name. Takes a base name, not a path. */
export function backupLinkKind(name: string): BackupLinkKind | null {
  for (const [re, kind] of BACKUP_PATTERNS) if (re.test(name)) return kind;
  return null;
}

export interface LinkRoots {
  /** Share mountpoint; links resolving under it are "into the share". Compared lexically. */
  shareRoot?: string | null;
}

export interface LinkTargetInfo {
  /** The target resolved against the link's directory (lexically; nothing is read). */
  absoluteTarget: string;
  /** The stored target is absolute (such links break when the tree is viewed from another host). */
  isAbsolute: boolean;
  /** `absoluteTarget` is the share root or below it. */
  intoShare: boolean;
}

/** Pure classification of a link's stored target. */
export function classifyLinkTarget(linkPath: string, target: string, roots: LinkRoots): LinkTargetInfo {
  const absoluteTarget = resolve(dirname(resolve(linkPath)), target);
  const shareRoot = roots.shareRoot;
  return {
    absoluteTarget,
    isAbsolute: isAbsolute(target),
    // NFC and without case: a target read from disk (NFD on macOS) is on the share whatever form the root has.
    intoShare: shareRoot ? isInside(shareRoot, absoluteTarget, { caseInsensitive: true }) : false,
  };
}

export type LinkState = 'ok' | 'broken' | 'unchecked';

export interface LinkInspection extends LinkTargetInfo {
  /** The stored target, as readlink returned it. */
  target: string;
  /** backupLinkKind of the link's base name. */
  backup: BackupLinkKind | null;
  /** 'unchecked': reaching the target would touch the share and `statShare` was not set. */
  state: LinkState;
}

/**
 * Read a symlink and decide whether it is broken. Fails (e.g. code 'EINVAL') if `linkPath` is not a link.
 * With a shareRoot and without `statShare`, nothing under the share is touched: a direct target into the
 * share, or a chain that passes through it (a link to a link, or a directory link on the way), gives
 * 'unchecked'. Then the walk lstat's each component of the path, so it costs more than a plain stat.
 */
export async function inspectLink(
  linkPath: string,
  roots: LinkRoots,
  opts?: { statShare?: boolean },
): Promise<LinkInspection> {
  const target = await readlink(linkPath);
  const info = classifyLinkTarget(linkPath, target, roots);
  const backup = backupLinkKind(basename(linkPath));
  const shareRoot = roots.shareRoot;
  const guarded = Boolean(shareRoot) && opts?.statShare !== true;
  let state: LinkState;
  if (guarded && info.intoShare) {
    state = 'unchecked';
  } else if (guarded && shareRoot) {
    try {
      const walked = await walkPhysical(linkPath, { stopAt: (p) => isInside(shareRoot, p) });
      state = walked.status === 'exists' ? 'ok' : walked.status === 'stopped' ? 'unchecked' : 'broken';
    } catch (err) {
      if (!isMissingError(err)) throw err;
      state = 'broken';
    }
  } else {
    try {
      await stat(linkPath);
      state = 'ok';
    } catch (err) {
      if (!isMissingError(err)) throw err;
      state = 'broken';
    }
  }
  return { target, ...info, backup, state };
}

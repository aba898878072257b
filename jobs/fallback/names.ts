// Names the predecessor's fallback uses (facts §1.6, §4.5): the backup of a replaced link, the placeholder file,
// and where local archives of video/input folders live.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { entryExists } from '../../lib/fs/exists.js';

export const PLACEHOLDER = 'README_OFFLINE_FALLBACK.txt';
const BACKUP_INFIX = '.symlink_shared_backup_';
const BACKUP_RE = /^(.+)\.symlink_shared_backup_(.+)$/s;

/** `CH02_哲学系.symlink_shared_backup_<STAMP>[__N|__pid<PID>]` → `CH02_哲学系`; null for other names. */
export function backupOriginal(name: string): string | null {
  return BACKUP_RE.exec(name)?.[1] ?? null;
}

/** The first free backup name beside `link`: `<name>.symlink_shared_backup_<STAMP>`, then `__1`..`__999`, then `__pid<PID>`. */
export async function freeBackupPath(link: string, stamp: string): Promise<string> {
  const base = `${link}${BACKUP_INFIX}${stamp}`;
  if (!(await entryExists(base))) return base;
  for (let i = 1; i <= 999; i++) if (!(await entryExists(`${base}__${i}`))) return `${base}__${i}`;
  return `${base}__pid${process.pid}`;
}

export function placeholderText(name: string, target: string, reason: string, at: string): string {
  return [
    `This folder was created by \`ytm fallback\` at ${at} because the share was not usable (${reason}).`,
    `video/input/${name} was a link to ${target}, kept beside this folder as ${name}${BACKUP_INFIX}<STAMP>.`,
    'No local archive of it was found, so this folder starts empty: put the files you need here to keep working.',
    'When the share is back, `ytm fallback restore` links the folder to the share again; files you add here that',
    'are newer than the share’s copies (or missing on the share) are kept and reported, never deleted.',
    '',
  ].join('\n');
}

/**
 * The newest local archive of a video/input folder: `<ws>/video/_archive/<STAMP>/<CH>/video_input/<name>`, the
 * newest stamp first, names compared in NFC (macOS writes NFD). Null when none exists or the name has no channel.
 */
export async function newestArchive(workspaceRoot: string, name: string): Promise<string | null> {
  const ch = /^(CH\d{2})/i.exec(name.normalize('NFC'))?.[1]?.toUpperCase();
  if (!ch) return null;
  const archiveRoot = path.join(workspaceRoot, 'video', '_archive');
  const stamps = (await readdir(archiveRoot).catch(() => [] as string[])).sort().reverse();
  const want = name.normalize('NFC');
  for (const stamp of stamps) {
    const dir = path.join(archiveRoot, stamp, ch, 'video_input');
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const hit = entries.find((e) => e.isDirectory() && e.name.normalize('NFC') === want);
    if (hit) return path.join(dir, hit.name);
  }
  return null;
}

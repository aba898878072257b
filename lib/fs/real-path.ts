// Guards must judge the file a path names, not the path as typed: a folder symlink inside a root
// (`episodes/x` → `video/runs/…`) or another spelling on a case-insensitive volume (`Thumbnails/…` on a Mac
// disk, exFAT, SMB) names the same file as the path a rule is written for. This module resolves a path to
// its real location, expresses it relative to the real root, and gives the key guards compare: Unicode NFC
// (macOS stores names decomposed) and lower-cased where the volume ignores case. It touches the file system
// (realpath, stat, readdir of the root): use it for local roots, never for a share that may hang.
import type { Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { errCode } from './errors.js';
import { walkPhysical } from './walk.js';

export interface RealPathOptions {
  /** Force the volume's case rule instead of probing it (tests, or a volume the probe cannot judge). */
  caseInsensitive?: boolean;
  /** Resolve the last name too (default: keep it, so a path that is itself a link is seen as a link). */
  followLast?: boolean;
}

export interface RealPath {
  /** Real absolute path: every folder resolved; the last name resolved only with `followLast`. */
  abs: string;
  /** Real root (realpath of the root). */
  root: string;
  /** POSIX path relative to the real root ('' for the root itself); null when the file lies outside it. */
  rel: string | null;
  /** `rel` as guards compare it (see pathKey); null when outside. */
  key: string | null;
  /** Whether names on the root's or the file's volume are compared without case. */
  caseInsensitive: boolean;
}

/** The form guards compare names in: NFC, and lower-cased when the volume ignores case. */
export function pathKey(p: string, caseInsensitive: boolean): string {
  const nfc = p.normalize('NFC');
  return caseInsensitive ? nfc.toLowerCase() : nfc;
}

const flipCase = (s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');

// Per device, for the life of the process (a job child is short-lived; the bot does not call this).
const probed = new Map<number, boolean>();

/**
 * Does `name` in `dir` also answer to its case-flipped spelling? true/false when it does/does not, null when
 * the name has no letters with case. Same dev+ino settles it; FUSE file systems (exFAT, smbnetfs) give each
 * spelling its own inode number, so a flipped name that exists but is not listed in the folder counts too.
 */
async function answersFlipped(dir: string, name: string, own: Stats): Promise<boolean | null> {
  const flipped = flipCase(name);
  if (flipped === name) return null;
  let other: Stats;
  try {
    other = await lstat(join(dir, flipped));
  } catch (err) {
    if (errCode(err) === 'ENOENT') return false;
    throw err;
  }
  if (other.dev === own.dev && other.ino === own.ino) return true;
  return !(await readdir(dir)).includes(flipped);
}

/**
 * Whether the volume holding the existing folder `dir` compares names without case. Probed by looking the
 * folder up under its own name with the case flipped (or, when its name has no letters or its parent is
 * another volume, one of its entries); cached per device. When nothing can be probed the answer is true:
 * comparing without case only makes a guard match more, which is the safe direction.
 */
export async function isCaseInsensitiveVolume(dir: string): Promise<boolean> {
  const st = await stat(dir);
  const known = probed.get(st.dev);
  if (known !== undefined) return known;
  const parent = dirname(dir);
  let answer: boolean | null = null;
  if (parent !== dir && (await stat(parent)).dev === st.dev) answer = await answersFlipped(parent, basename(dir), st);
  if (answer === null) {
    for (const name of await readdir(dir)) {
      const own = await lstat(join(dir, name));
      if (own.dev !== st.dev) continue;
      answer = await answersFlipped(dir, name, own);
      if (answer !== null) break;
    }
  }
  if (answer === null) return true;
  probed.set(st.dev, answer);
  return answer;
}

/** realpath of `p` (fs/promises realpath is realpath(3), as fs.realpath.native); for a path whose tail does not exist yet, the physical prefix plus the lexical tail. */
async function realOrPhysical(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch (err) {
    const code = errCode(err);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    return (await walkPhysical(p)).path;
  }
}

/** Nearest existing folder at or above `p` (where the volume of a not-yet-existing path is probed). */
async function existingDir(p: string): Promise<string> {
  for (let cur = p; ; cur = dirname(cur)) {
    try {
      if ((await stat(cur)).isDirectory()) return cur;
    } catch {
      // missing: look one level up
    }
    if (dirname(cur) === cur) return cur;
  }
}

/**
 * `p` (absolute, or relative to `root`) resolved to the file it names and expressed relative to the real
 * root. A path is inside when its real location is, compared per name (without case where the volume ignores
 * case, and then only on the root's device). Throws what realpath throws for loops or unreadable folders;
 * `root` must exist.
 */
export async function realPathUnder(root: string, p: string, opts: RealPathOptions = {}): Promise<RealPath> {
  const realRoot = await realpath(resolve(root));
  const lexical = resolve(root, p);
  const abs =
    opts.followLast || lexical === resolve(root)
      ? await realOrPhysical(lexical)
      : join(await realOrPhysical(dirname(lexical)), basename(lexical));
  const folder = await existingDir(dirname(abs));
  const caseInsensitive =
    opts.caseInsensitive ?? ((await isCaseInsensitiveVolume(realRoot)) || (await isCaseInsensitiveVolume(folder)));
  const rootParts = realRoot.split(sep).filter(Boolean);
  const parts = abs.split(sep).filter(Boolean);
  let inside = parts.length >= rootParts.length;
  let respelled = false;
  for (let i = 0; inside && i < rootParts.length; i++) {
    const a = parts[i] as string;
    const r = rootParts[i] as string;
    if (a === r) continue;
    respelled = true;
    inside = pathKey(a, caseInsensitive) === pathKey(r, caseInsensitive);
  }
  if (inside && respelled) {
    // Another spelling of the root's folders names the root only on the root's own volume.
    const prefix = `${sep}${parts.slice(0, rootParts.length).join(sep)}`;
    inside = await sameDevice(prefix, realRoot);
  }
  const rel = inside ? parts.slice(rootParts.length).join('/') : null;
  return { abs, root: realRoot, rel, key: rel === null ? null : pathKey(rel, caseInsensitive), caseInsensitive };
}

async function sameDevice(a: string, b: string): Promise<boolean> {
  try {
    return (await stat(a)).dev === (await stat(b)).dev;
  } catch {
    return false;
  }
}

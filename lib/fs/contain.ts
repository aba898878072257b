// Containment of user-supplied paths: a path given relative to (or inside) a root must stay inside it,
// lexically (`..`) and physically (symlinks, including dangling ones that a later write would follow).
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathKey } from './real-path.js';
import { walkPhysical } from './walk.js';

/** A path left its root (or could not be a path at all, e.g. it contains a NUL byte). */
export class ContainmentError extends Error {
  readonly code = 'OUTSIDE_ROOT';
  constructor(
    readonly root: string,
    readonly path: string,
    reason: string,
  ) {
    super(`path ${JSON.stringify(path)} is not inside the root ${JSON.stringify(root)}: ${reason}`);
    this.name = 'ContainmentError';
  }
}

/**
 * Lexical check after path.resolve: true when `p` is `root` itself or below it. Separator-safe, so
 * `/a/bc` is not inside `/a/b`. Does not touch the file system (symlinks are not considered; for what a path
 * really names use realPathUnder from ./real-path.js). `caseInsensitive` compares NFC, lower-cased names:
 * for decisions where matching more is the safe side and the volume cannot be probed (a share that may hang).
 */
export function isInside(root: string, p: string, opts: { caseInsensitive?: boolean } = {}): boolean {
  const key = (x: string) => (opts.caseInsensitive ? pathKey(resolve(x), true) : resolve(x));
  const rel = relative(key(root), key(p));
  if (rel === '') return true;
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * Resolve `userPath` (absolute, or relative to `root`) and require it to stay inside `root`.
 * Returns the lexically resolved absolute path (under `resolve(root)`, symlinks kept as they are).
 * Throws ContainmentError for NUL bytes, `..` escapes, absolute paths elsewhere, and paths whose
 * deepest existing ancestor (following symlinks, dangling ones too) is outside realpath(root).
 * `root` itself must exist.
 */
export async function resolveInside(root: string, userPath: string): Promise<string> {
  if (userPath.includes('\0') || root.includes('\0')) {
    throw new ContainmentError(root, userPath, 'it contains a NUL byte');
  }
  const absRoot = resolve(root);
  const abs = resolve(absRoot, userPath);
  if (!isInside(absRoot, abs)) {
    throw new ContainmentError(root, userPath, `it resolves to ${JSON.stringify(abs)}`);
  }
  const realRoot = await realpath(absRoot);
  // Deepest existing ancestor, physically; a dangling symlink is followed to where a write would land.
  const physical = (await walkPhysical(abs)).path;
  if (!isInside(realRoot, physical)) {
    throw new ContainmentError(root, userPath, `a symlink leads to ${JSON.stringify(physical)}`);
  }
  return abs;
}

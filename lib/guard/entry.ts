import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of a compiled entry under `dist/`, e.g. `compiledEntry('lib/guard/child.js')`. Works both from source
 * (vitest runs `lib/guard/entry.ts`: repo root is two levels up, the file is `<root>/dist/<rel>`) and from the build
 * (`dist/lib/guard/entry.js`: the dist root is two levels up).
 */
export function compiledEntry(relPathFromRepoRoot: string, moduleUrl: string = import.meta.url): string {
  const self = fileURLToPath(moduleUrl);
  const up = path.resolve(path.dirname(self), '..', '..');
  const fromSource = /\.[cm]?ts$/.test(self);
  return path.join(fromSource ? path.join(up, 'dist') : up, relPathFromRepoRoot);
}

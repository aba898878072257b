import { existsSync } from 'node:fs';
import { compiledEntry } from '../../../lib/guard/entry.js';

/** The guard child runs from dist/: `npm test` builds first; when running vitest directly, run `npm run build`. */
export function assertBuilt(): void {
  const child = compiledEntry('lib/guard/child.js');
  if (!existsSync(child)) throw new Error(`${child} is missing: run \`npm run build\` before these tests`);
}

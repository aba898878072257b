import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `npm ci` refuses a lock that names an optional dependency without an entry for it. The registry mirror some
// of our machines use lacks other platforms' binaries (404), and `npm install` there silently leaves them out of
// the lock, which then breaks `npm ci` on every fresh machine, this one included.

interface LockPackage {
  optionalDependencies?: Record<string, string>;
  os?: string[];
}

describe('package-lock.json', () => {
  it('has an entry for every optional dependency it names (so npm ci works on a fresh machine)', () => {
    const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, LockPackage>;
    };
    const missing: string[] = [];
    for (const [key, meta] of Object.entries(lock.packages)) {
      for (const dep of Object.keys(meta.optionalDependencies ?? {})) {
        const nested = `${key ? `${key}/` : ''}node_modules/${dep}`;
        if (!lock.packages[nested] && !lock.packages[`node_modules/${dep}`])
          missing.push(`${dep} (for ${key || 'the root'})`);
      }
    }
    expect(missing).toEqual([]);
  });
});

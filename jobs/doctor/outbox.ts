import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { finding, Tally } from './findings.js';
import type { Finding } from './report.js';

/** Files stored to the local outbox while the share was down and not yet flushed (manifests excluded). */
export async function checkOutbox(outboxRoot: string, namespace: string): Promise<Finding[]> {
  const base = path.join(outboxRoot, 'uploads', namespace);
  const tally = new Tally();
  const visit = async (dir: string, rel: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(
      entries.map(async (e) => {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (r !== 'manifests') await visit(path.join(dir, e.name), r);
        } else if (e.isFile()) tally.add(r);
      }),
    );
  };
  await visit(base, '');
  if (tally.count === 0) return [];
  tally.examples.sort();
  return [
    finding(
      'OUTBOX_PENDING',
      tally.count,
      `${tally.count} file(s) wait in the local outbox (${base}) for the share`,
      tally.examples,
    ),
  ];
}

// Listing helpers for assertions on real trees.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every non-directory entry under `dir` (relative, POSIX), links included; [] when `dir` is missing. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names.sort()) {
      const abs = path.join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      if (lstatSync(abs).isDirectory()) visit(abs, r);
      else out.push(r);
    }
  };
  visit(dir, '');
  return out;
}

/** The fields of a shared-store manifest (facts §3.8) the tests look at. */
export interface ManifestDoc {
  schema_version: number;
  kind: string;
  sync_kind: string;
  repo: { root: string; name: string };
  shared: {
    configured_root: string | null;
    effective_root: string;
    namespace: string;
    base: string;
    offline_fallback: boolean;
    offline_reason?: string;
    flushed_from?: string;
  };
  artifact: { src: string; dest: string; sha256: string; size_bytes: number };
  ytm_ops: { plan_id: string; up_to_date: boolean; after: string };
}

export function manifestsIn(base: string): { file: string; doc: ManifestDoc }[] {
  const dir = path.join(base, 'manifests', 'shared_sync');
  return filesUnder(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.tmp__'))
    .map((f) => ({ file: path.join(dir, f), doc: JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as ManifestDoc }));
}

export const isTemp = (rel: string) => path.basename(rel).startsWith('.tmp__');

// The shared-store manifest, facts §3.8: <base>/manifests/shared_sync/<STAMP>__<kind>__<sha12>.json, atomic.
import { hostname } from 'node:os';
import path from 'node:path';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';
import type { Paths } from '../../lib/paths.js';
import type { DestinationRoot } from '../../lib/share/destination-root.js';
import { stampOf } from '../engine/stamp.js';
import type { StoreAction } from './action.js';
import { manifestsDir } from './target.js';

export function manifestDoc(a: StoreAction, paths: Paths, at: Date, extra: { planId: string; upToDate: boolean }) {
  return {
    schema_version: 1,
    created_at: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    kind: 'shared_storage_sync',
    sync_kind: a.kind,
    repo: { root: paths.repoRoot, name: path.basename(paths.repoRoot) },
    shared: {
      configured_root: a.target.configuredRoot,
      effective_root: a.target.effectiveRoot,
      namespace: a.target.namespace,
      base: a.target.base,
      offline_fallback: a.target.offline,
      ...(a.target.offline ? { offline_reason: a.target.offlineReason } : {}),
      ...(a.target.flushedFrom ? { flushed_from: a.target.flushedFrom } : {}),
    },
    host: { hostname: hostname() },
    artifact: { src: a.src, dest: a.dest, sha256: a.sha256, size_bytes: a.size },
    ...(a.episode ? { episode: a.episode } : {}),
    ytm_ops: { plan_id: extra.planId, up_to_date: extra.upToDate, after: a.after },
  };
}

export async function writeManifest(
  a: StoreAction,
  paths: Paths,
  at: Date,
  extra: { planId: string; upToDate: boolean },
  root: DestinationRoot,
): Promise<string> {
  const dir = manifestsDir(a.target.base);
  await root.mkdirBelow(dir);
  const file = path.join(dir, `${stampOf(at)}__${a.kind}__${a.sha256.slice(0, 12)}.json`);
  await writeJsonAtomic(file, manifestDoc(a, paths, at, extra));
  return file;
}

// What waits in the local outbox(es): every file under `<outbox>/uploads/<ns>/` except the manifests folder
// and temp files of interrupted writes, with the manifest it came with. Finder's own files (.DS_Store, ._*) are
// not outbox files: they never count as pending and are never flushed.
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { finderMetadataReason } from '../../lib/fs/finder-metadata.js';
import { backupLinkKind } from '../../lib/fs/links.js';
import { manifestsDir, outboxBase } from '../store/target.js';

export interface OutboxFile {
  root: string;
  base: string;
  path: string;
  /** Relative to the outbox base = the place it goes under the share's base. POSIX. */
  rel: string;
  size: number;
  manifest: {
    file: string;
    createdAt: string | null;
    src: string | null;
    sha256: string | null;
    offlineReason: string | null;
  } | null;
}

interface ManifestLike {
  created_at?: unknown;
  shared?: { offline_reason?: unknown };
  artifact?: { src?: unknown; dest?: unknown; sha256?: unknown };
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

async function manifestsByDest(base: string): Promise<Map<string, NonNullable<OutboxFile['manifest']>>> {
  const dir = manifestsDir(base);
  const out = new Map<string, NonNullable<OutboxFile['manifest']>>();
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    try {
      const m = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as ManifestLike;
      const dest = str(m.artifact?.dest);
      if (!dest) continue;
      // Sorted by stamp: the latest manifest for a destination wins.
      // Keyed in NFC: the manifest's dest and the name read from disk (NFD on macOS) must meet.
      out.set(path.resolve(dest).normalize('NFC'), {
        file: path.join(dir, name),
        createdAt: str(m.created_at),
        src: str(m.artifact?.src),
        sha256: str(m.artifact?.sha256),
        offlineReason: str(m.shared?.offline_reason),
      });
    } catch {
      // unreadable manifest: the file is still listed, without one
    }
  }
  return out;
}

export async function listOutbox(roots: string[], namespace: string): Promise<OutboxFile[]> {
  const files: OutboxFile[] = [];
  for (const root of roots) {
    const base = outboxBase(root, namespace);
    const manifests = await manifestsByDest(base);
    const visit = async (dir: string, rel: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (r !== 'manifests') await visit(abs, r);
        } else if (e.isFile() && backupLinkKind(e.name) !== 'atomic_tmp' && !finderMetadataReason(e.name)) {
          const st = await stat(abs);
          files.push({
            root,
            base,
            path: abs,
            rel: r,
            size: st.size,
            manifest: manifests.get(abs.normalize('NFC')) ?? null,
          });
        }
      }
    };
    await visit(base, '');
  }
  return files;
}

// The predecessor's passes (python-ops-facts §4.2): `main` mirrors the workspace with delete-sync; the
// protected paths are excluded from it (rsync never deletes what it excludes) and copied by their own
// copy-only passes; every real folder directly under `video/input` gets a copy-only pass (linked channel
// folders stay the vault's own portable links). `planning/` is always excluded: the shared planning copy is
// the main branch (the predecessor's `--include-planning` is not offered). New here: the mirror's own reports
// (`logs/ops/workspaces_mirror/`, `logs/ops/mirror/`) are excluded, as every run adds one: with them, the dry
// run of an unchanged workspace would never be zero.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { lstatOrNull } from '../../lib/fs/exists.js';
import { VAULT_SENTINEL } from '../../lib/paths.js';

export const CACHE_EXCLUDES = ['.DS_Store', '__pycache__/', '.pytest_cache/', '.mypy_cache/', '.ruff_cache/'];
/** Never deleted in the vault (DESIGN safety rules). */
export const PROTECTED_PATHS = ['scripts', 'thumbnails/assets', 'video/runs'];

export const MAIN_EXCLUDES = [
  ...CACHE_EXCLUDES,
  '/planning/',
  ...PROTECTED_PATHS.map((p) => `/${p}/`),
  `/${VAULT_SENTINEL}`,
  '/audio/final',
  '/video/input',
  '/thumbnails/assets.symlink_*',
  '/logs/ops/workspaces_mirror/',
  '/logs/ops/mirror/',
];

export interface MirrorPass {
  /** `main`, `protected:<rel>` or `video_input:<dir>` (the predecessor's step names). */
  name: string;
  src: string;
  dest: string;
  delete: boolean;
  excludes: string[];
}

async function isRealDir(p: string): Promise<boolean> {
  return (await lstatOrNull(p))?.isDirectory() === true;
}

/** The passes for this source tree, in the predecessor's order. */
export async function mirrorPasses(src: string, dest: string): Promise<MirrorPass[]> {
  const passes: MirrorPass[] = [{ name: 'main', src, dest, delete: true, excludes: MAIN_EXCLUDES }];
  for (const rel of PROTECTED_PATHS) {
    const from = path.join(src, rel);
    // A protected path that is a link (e.g. thumbnails/assets pointing at the share) is not copied through.
    if (await isRealDir(from)) {
      passes.push({
        name: `protected:${rel}`,
        src: from,
        dest: path.join(dest, rel),
        delete: false,
        excludes: CACHE_EXCLUDES,
      });
    }
  }
  const input = path.join(src, 'video', 'input');
  const names = (await isRealDir(input)) ? (await readdir(input)).sort() : [];
  for (const name of names) {
    if (await isRealDir(path.join(input, name))) {
      passes.push({
        name: `video_input:${name}`,
        src: path.join(input, name),
        dest: path.join(dest, 'video', 'input', name),
        delete: false,
        excludes: CACHE_EXCLUDES,
      });
    }
  }
  return passes;
}

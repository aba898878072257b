// A vault with the links the predecessor left behind (facts §1.3, §4.4, §7 #8): absolute links into the share
// (a folder link at the top, a channel folder under video/input, a file link deep under thumbnails/assets),
// one absolute link outside the share, and one link that is already relative. `root` is where the files are
// written, `linkBase` the share path the absolute links name (the same, unless written server-side).
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ARCHIVE = 'archive/mac_assets/10_YouTube_Automation/factory_commentary/workspaces';

export const INTO_SHARE = {
  'audio/final': `${ARCHIVE}/audio/final`,
  'video/input/CH02_哲学系': `${ARCHIVE}/video/input/CH02_哲学系`,
  'thumbnails/assets/CH01/001/00_thumb.png': 'archive/thumbs/CH01-001.png',
} as const;

/** A file reachable through each link into the share, and its content. */
export const THROUGH = {
  'audio/final/CH02/043/CH02-043.wav': 'wav CH02-043',
  'video/input/CH02_哲学系/CH02-024.wav': 'wav CH02-024',
  'thumbnails/assets/CH01/001/00_thumb.png': 'png CH01-001',
} as const;

export interface PlantedVault {
  vault: string;
  outsideLink: string;
  outsideTarget: string;
  relativeLink: string;
  relativeTarget: string;
}

function put(p: string, content: string): void {
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
}

export function plantVault(root: string, linkBase: string, outsideDir: string): PlantedVault {
  const vault = path.join(root, 'ytm_workspaces');
  put(path.join(vault, '.ytm_vault_workspaces_root.json'), '{"schema":"ytm.vault.workspaces_root.v1"}\n');
  put(path.join(root, ARCHIVE, 'audio/final/CH02/043/CH02-043.wav'), THROUGH['audio/final/CH02/043/CH02-043.wav']);
  put(
    path.join(root, ARCHIVE, 'video/input/CH02_哲学系/CH02-024.wav'),
    THROUGH['video/input/CH02_哲学系/CH02-024.wav'],
  );
  put(path.join(root, 'archive/thumbs/CH01-001.png'), THROUGH['thumbnails/assets/CH01/001/00_thumb.png']);
  put(path.join(vault, 'scripts/CH02/043/status.json'), '{}\n');
  for (const [rel, target] of Object.entries(INTO_SHARE)) {
    mkdirSync(path.dirname(path.join(vault, rel)), { recursive: true });
    symlinkSync(path.join(linkBase, target), path.join(vault, rel));
  }
  mkdirSync(outsideDir, { recursive: true });
  const outsideLink = path.join(vault, 'video/input/CH09_外部');
  symlinkSync(outsideDir, outsideLink);
  const relativeLink = path.join(vault, 'video/input/CH03_rel');
  const relativeTarget = `../../../${ARCHIVE}/video/input/CH02_哲学系`;
  symlinkSync(relativeTarget, relativeLink);
  return { vault, outsideLink, outsideTarget: outsideDir, relativeLink, relativeTarget };
}

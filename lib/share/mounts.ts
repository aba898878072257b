import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface MountEntry {
  device: string;
  target: string;
  fsType: string;
}

/** Decodes the octal escapes the kernel uses in /proc/mounts fields (`\040` space, `\011` tab, `\012`, `\134`). */
export function decodeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** Parses /proc/mounts: `<dev> <target> <type> <opts> 0 0`. */
export function parseProcMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const [device, target, fsType] = fields;
    if (device === undefined || target === undefined || fsType === undefined) continue;
    out.push({ device: decodeMountField(device), target: decodeMountField(target), fsType: decodeMountField(fsType) });
  }
  return out;
}

const MAC_MOUNT_LINE = /^(.*?) on (.*) \(([^,()]+)[,)]/;

/** Parses macOS `/sbin/mount` output: `<dev> on <path> (<type>, <opts…>)`. */
export function parseMacMount(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const m = MAC_MOUNT_LINE.exec(line.trim());
    if (!m) continue;
    const [, device, target, fsType] = m;
    if (device === undefined || target === undefined || fsType === undefined) continue;
    out.push({ device, target, fsType: fsType.trim() });
  }
  return out;
}

/** The entry that is in effect for `target` (the last one listed: later mounts stack over earlier ones). */
export function findMount(entries: readonly MountEntry[], target: string): MountEntry | undefined {
  let found: MountEntry | undefined;
  for (const e of entries) if (e.target === target) found = e;
  return found;
}

function runMacMount(): Promise<string> {
  return new Promise((resolve) => {
    execFile('/sbin/mount', [], { timeout: 5000, encoding: 'utf8' }, (err, stdout) => {
      resolve(err ? '' : stdout);
    });
  });
}

/**
 * The mount table of this host, or [] when it cannot be read. Linux: /proc/mounts; macOS: `/sbin/mount`.
 * Only call this inside a guarded child: `mount` itself can block on a hung share.
 */
export async function readMountTable(platform: NodeJS.Platform = process.platform): Promise<MountEntry[]> {
  if (platform === 'linux') {
    try {
      return parseProcMounts(await readFile('/proc/mounts', 'utf8'));
    } catch {
      return [];
    }
  }
  if (platform === 'darwin') return parseMacMount(await runMacMount());
  return [];
}

// File systems whose I/O goes over the network: a stat on them can block for as long as the server is gone,
// so paths on them are only ever touched in a guarded child. autofs is a trigger that mounts one on first access.
const NETWORK_FS_TYPES: ReadonlySet<string> = new Set([
  'smbfs',
  'cifs',
  'smb3',
  'nfs',
  'nfs4',
  'afpfs',
  'webdav',
  'davfs',
  'autofs',
  'ncpfs',
  'fuse.smbnetfs',
  'fuse.sshfs',
  'fuse.davfs2',
  'fuse.rclone',
]);

export function isNetworkFs(fsType: string): boolean {
  return NETWORK_FS_TYPES.has(fsType.toLowerCase());
}

/** The mountpoints of every network file system in `entries`, sorted, each once. */
export function networkMountRoots(entries: readonly MountEntry[]): string[] {
  return [...new Set(entries.filter((e) => isNetworkFs(e.fsType)).map((e) => e.target))].sort();
}

// Which rsync this is and what it understands. macOS ships openrsync (15.4+) or rsync 2.6.9, both without
// options a current rsync has (--info=, --protect-args/-s, --iconv; 2.6.9 also lacks --delete-delay, and
// openrsync --out-format), so the options a job passes are chosen from the probed version, never assumed.
import { execa } from 'execa';

export interface RsyncVersion {
  flavor: 'rsync' | 'openrsync' | 'unknown';
  /** [major, minor, patch] of rsync, or the rsync version openrsync says it is compatible with. */
  version: [number, number, number] | null;
  protocol: number | null;
}

export interface RsyncCaps {
  itemize: boolean;
  /** --out-format with %i/%l/%n: sizes of itemized files come from rsync itself. */
  outFormat: boolean;
  deleteDelay: boolean;
  maxDelete: boolean;
  /** --max-delete=0 means "delete nothing" (3.0.0+); older rsync reads 0 as "no limit". */
  maxDeleteZero: boolean;
  info: boolean;
  protectArgs: boolean;
  iconv: boolean;
  stats: boolean;
  wholeFile: boolean;
  timeout: boolean;
  bwlimit: boolean;
}

function triple(s: string): [number, number, number] {
  const [a = 0, b = 0, c = 0] = s.split('.').map((n) => Number.parseInt(n, 10) || 0);
  return [a, b, c];
}

/** Parses the first lines of `rsync --version` (rsync 2.x/3.x, openrsync). */
export function parseRsyncVersion(text: string): RsyncVersion {
  const open = /openrsync: protocol version (\d+)/.exec(text);
  if (open) {
    const compat = /rsync version (\d+(?:\.\d+){0,2})/.exec(text);
    return { flavor: 'openrsync', version: compat?.[1] ? triple(compat[1]) : null, protocol: Number(open[1]) };
  }
  const m = /^rsync\s+version\s+v?(\d+(?:\.\d+){0,2})\S*\s+protocol version (\d+)/m.exec(text);
  if (m?.[1]) return { flavor: 'rsync', version: triple(m[1]), protocol: Number(m[2]) };
  return { flavor: 'unknown', version: null, protocol: null };
}

const atLeast = (v: [number, number, number] | null, want: [number, number, number]) => {
  if (!v) return false;
  for (let i = 0; i < 3; i++) {
    if ((v[i] as number) !== want[i]) return (v[i] as number) > (want[i] as number);
  }
  return true;
};

/** What each flavour and version supports (rsync NEWS: --delete-delay, -s, --iconv 3.0.0; --info 3.1.0). */
export function capabilitiesOf(v: RsyncVersion): RsyncCaps {
  if (v.flavor === 'openrsync') {
    return {
      itemize: true,
      outFormat: false,
      deleteDelay: true,
      maxDelete: true,
      maxDeleteZero: false,
      info: false,
      protectArgs: false,
      iconv: false,
      stats: true,
      wholeFile: true,
      timeout: true,
      bwlimit: true,
    };
  }
  // An unknown rsync gets the 2.6.9 baseline: the oldest one still met in the field.
  const three = v.flavor === 'rsync' && atLeast(v.version, [3, 0, 0]);
  return {
    itemize: true,
    outFormat: true,
    deleteDelay: three,
    maxDelete: true,
    maxDeleteZero: three,
    info: v.flavor === 'rsync' && atLeast(v.version, [3, 1, 0]),
    protectArgs: three,
    iconv: three,
    stats: true,
    wholeFile: true,
    timeout: true,
    bwlimit: true,
  };
}

export interface RsyncProbe {
  bin: string;
  version: RsyncVersion;
  caps: RsyncCaps;
  /** First line of `--version`, for reports. */
  banner: string;
}

export class RsyncNotFoundError extends Error {
  constructor(
    readonly bin: string,
    why: string,
  ) {
    super(`rsync not usable at "${bin}": ${why}`);
    this.name = 'RsyncNotFoundError';
  }
}

const probes = new Map<string, Promise<RsyncProbe>>();

/** `<bin> --version`, once per binary and process; throws RsyncNotFoundError when it cannot run. */
export function probeRsync(bin: string, timeoutMs = 10_000): Promise<RsyncProbe> {
  let p = probes.get(bin);
  if (!p) {
    p = (async () => {
      const r = await execa(bin, ['--version'], { reject: false, timeout: timeoutMs, stdin: 'ignore' });
      const text = `${String(r.stdout)}\n${String(r.stderr)}`;
      const version = parseRsyncVersion(text);
      if (r.failed && version.flavor === 'unknown') {
        throw new RsyncNotFoundError(bin, r.code === 'ENOENT' ? 'no such program' : (r.shortMessage ?? 'failed'));
      }
      return { bin, version, caps: capabilitiesOf(version), banner: text.trim().split('\n')[0] ?? '' };
    })();
    p.catch(() => probes.delete(bin));
    probes.set(bin, p);
  }
  return p;
}

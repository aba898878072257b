import type { TempFile } from '../fs/stale-temp.js';
import type { ShareProbe, ShareProbeInput } from '../share/state.js';

/** Operations a guarded child can run. Every one may touch the share, so none runs in the caller's process. */
export type GuardOp =
  | ({ op: 'probe-share' } & ShareProbeInput)
  | { op: 'exists'; paths: string[] }
  | { op: 'scan-abs-links'; root: string; dirs: string[]; depth: number }
  | { op: 'read-text'; paths: string[] }
  | { op: 'list-dir'; path: string }
  | { op: 'find-temps'; root: string }
  | { op: 'network-mounts' }
  | SelftestOp;

/** Hidden op used by the tests to exercise the guard itself (crash, silent exit, garbage output, hang, env names). */
export type SelftestOp = {
  op: '_selftest';
  mode: 'throw' | 'exit' | 'garbage' | 'sleep' | 'env-keys' | 'echo';
  ms?: number;
  value?: unknown;
};

/** `error:<code>`: the path could not be checked (EPERM, EACCES, EIO…), which says nothing about it existing. */
export type ExistsState = 'exists' | 'missing' | `error:${string}`;

export interface AbsLink {
  /** Path of the link relative to `root`. */
  path: string;
  /** The absolute target as stored in the link. */
  target: string;
}

export interface ScanAbsLinksResult {
  links: AbsLink[];
  /** Directory entries examined. */
  scanned: number;
  /** Directories (relative to root) that could not be read or were refused. */
  errors: { path: string; error: string }[];
}

export type ReadTextResult = { path: string; ok: true; text: string } | { path: string; ok: false; error: string };

/** The value each op produces (for `runGuarded<GuardValue<'exists'>>(…)`). */
export interface GuardValueMap {
  'probe-share': ShareProbe;
  exists: ExistsState[];
  'scan-abs-links': ScanAbsLinksResult;
  'read-text': ReadTextResult[];
  'list-dir': string[];
  'find-temps': { temps: TempFile[]; errors: string[] };
  'network-mounts': string[];
  _selftest: unknown;
}
export type GuardValue<K extends GuardOp['op']> = GuardValueMap[K];

/** What the child prints on stdout: exactly one line of this JSON. */
export type GuardChildOutput = { ok: true; value: unknown } | { ok: false; error: string };

export const READ_TEXT_CAP_BYTES = 16 * 1024 * 1024;

const OP_NAMES: readonly string[] = [
  'probe-share',
  'exists',
  'scan-abs-links',
  'read-text',
  'list-dir',
  'find-temps',
  'network-mounts',
  '_selftest',
];

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

/** Validates an op decoded from JSON; returns an error message or null. */
export function guardOpProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'op must be a JSON object';
  const o = v as Record<string, unknown>;
  if (typeof o.op !== 'string' || !OP_NAMES.includes(o.op)) {
    return `unknown op ${JSON.stringify(o.op)}; accepted: ${OP_NAMES.filter((n) => !n.startsWith('_')).join(', ')}`;
  }
  switch (o.op) {
    case 'probe-share':
      if (typeof o.root !== 'string' || o.root === '') return 'probe-share: root must be a non-empty string';
      if (typeof o.namespace !== 'string') return 'probe-share: namespace must be a string';
      if (typeof o.mountRequired !== 'boolean') return 'probe-share: mountRequired must be a boolean';
      if (o.vaultRoot !== undefined && typeof o.vaultRoot !== 'string')
        return 'probe-share: vaultRoot must be a string';
      return null;
    case 'exists':
    case 'read-text':
      return isStringArray(o.paths) ? null : `${o.op}: paths must be an array of strings`;
    case 'list-dir':
      return typeof o.path === 'string' && o.path !== '' ? null : 'list-dir: path must be a non-empty string';
    case 'find-temps':
      return typeof o.root === 'string' && o.root !== '' ? null : 'find-temps: root must be a non-empty string';
    case 'scan-abs-links':
      if (typeof o.root !== 'string' || o.root === '') return 'scan-abs-links: root must be a non-empty string';
      if (!isStringArray(o.dirs)) return 'scan-abs-links: dirs must be an array of strings';
      if (typeof o.depth !== 'number' || !Number.isInteger(o.depth) || o.depth < 0) {
        return 'scan-abs-links: depth must be an integer >= 0';
      }
      return null;
    default:
      return null;
  }
}

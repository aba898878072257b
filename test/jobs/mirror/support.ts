// A mini workspace with the layout the mirror cares about (facts §4.2): protected paths, real and linked
// `video/input` channel folders, the excluded planning/audio/cache paths, Japanese names in NFC and NFD.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { json, type YtmResult, ytm } from '../support/run.js';
import { type MiniWorkspace, miniWorkspace, writeFile } from '../support/workspace.js';

export const JP_NFC = '★CH02-043【特集】ガイド.txt'.normalize('NFC');
export const JP_NFD = '★CH02-043【特集】ガイド.txt'.normalize('NFD');

export interface MirrorWorkspace extends MiniWorkspace {
  vault: string;
}

export function mirrorWorkspace(opts: Parameters<typeof miniWorkspace>[0] = {}): MirrorWorkspace {
  return mirrorLayout(miniWorkspace({ prefix: 'ytm-mirror-', ...opts }));
}

/** Adds the mirror's layout to a mini workspace (`japanese: false` leaves out the NFC/NFD pair). */
export function mirrorLayout(w: MiniWorkspace, opts: { japanese?: boolean } = {}): MirrorWorkspace {
  const ws = w.ws;
  writeFile(path.join(ws, 'top.txt'), 'top\n');
  writeFile(path.join(ws, 'thumbnails', 'CH02', '043', '00_thumb.png'), 'thumb');
  writeFile(path.join(ws, 'thumbnails', 'assets', 'CH02', 'bg.png'), 'asset');
  writeFile(path.join(ws, 'video', 'runs', 'CH02-043_v1', 'capcut_draft_info.json'), '{}');
  writeFile(path.join(ws, 'video', 'input', 'CH02_哲学系', 'img_001.png'), 'img');
  mkdirSync(path.join(w.dir, 'elsewhere', 'CH03'), { recursive: true });
  symlinkSync(path.join(w.dir, 'elsewhere', 'CH03'), path.join(ws, 'video', 'input', 'CH03_link'));
  if (opts.japanese !== false) {
    writeFile(path.join(ws, 'episodes', 'CH02', '043', 'notes', JP_NFC), 'nfc');
    writeFile(path.join(ws, 'episodes', 'CH02', '043', 'notes', JP_NFD), 'nfd');
  }
  writeFile(path.join(ws, 'episodes', '.DS_Store'), 'x');
  writeFile(path.join(ws, 'tools', '__pycache__', 'a.pyc'), 'x');
  writeFile(path.join(ws, 'logs', 'regression', 'r.json'), '{}');
  return { ...w, vault: path.join(w.share, 'ytm_workspaces') };
}

/** What the mirror leaves out of the vault (README "Mirror"), as relative path prefixes of the workspace. */
export const EXCLUDED = [
  'planning',
  'audio/final',
  'logs/ops/workspaces_mirror',
  'logs/ops/mirror',
  'video/input/CH03_link',
];
const EXCLUDED_NAMES = ['.DS_Store', '__pycache__'];

/** Every entry under `root` as `rel → kind:content-hash|link target`, minus the exclusions. */
export function tree(root: string, opts: { excluded?: string[]; extra?: string[] } = {}): Map<string, string> {
  const excluded = [...(opts.excluded ?? EXCLUDED), ...(opts.extra ?? [])];
  const out = new Map<string, string>();
  for (const rel of readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
    const parts = rel.split(path.sep);
    if (parts.some((p) => EXCLUDED_NAMES.includes(p))) continue;
    if (excluded.some((e) => rel === e || rel.startsWith(`${e}/`))) continue;
    const p = path.join(root, rel);
    const st = lstatSync(p);
    if (st.isSymbolicLink()) out.set(rel, `l:${readlinkSync(p)}`);
    else if (st.isDirectory()) out.set(rel, 'd');
    else out.set(rel, `f:${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
  }
  return out;
}

export async function mirror(w: MiniWorkspace, args: string[], env: Record<string, string> = {}): Promise<YtmResult> {
  return ytm(['mirror', ...args, '--json', '--yes'], { ...w.env, ...env }, { timeoutMs: 120_000 });
}

export interface MirrorOut {
  planId?: string;
  outcome?: string;
  report?: string;
  refused?: boolean;
  refusals?: { code: string; message: string }[];
  plan?: { refusals: { code: string }[]; actions: unknown[]; summary: string };
  applied?: { state: string; outcomes: { status: string; message: string; details?: Record<string, unknown> }[] };
}

export const out = (r: YtmResult) => json<MirrorOut>(r);

/** The mirror report JSON written by a run (`applied.outcomes[0].details.report`) or by a dry run/skip. */
export function reportOf(o: MirrorOut): Record<string, unknown> & {
  run: boolean;
  outcome: string;
  reason: string | null;
  counts: Record<string, number>;
  result: { returncode: number; steps: Record<string, unknown>[] };
} {
  const file = (o.applied?.outcomes[0]?.details?.report as string | undefined) ?? o.report;
  if (!file) throw new Error(`no report in ${JSON.stringify(o).slice(0, 500)}`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

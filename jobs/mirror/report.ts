// The mirror's run report in the predecessor's format and place (python-ops-facts §3.11):
// `<workspace>/logs/ops/workspaces_mirror/workspaces_mirror__<STAMP>.json`, with each step's stdout/stderr in
// `workspaces_mirror__<STAMP>__<safe step name>.{stdout,stderr}.log`. Added fields: `counts`, `outcome` and
// `reason` at the top, and per step. A dry run (`run:false`) ran rsync with -n: its counts are the drift.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';
import { entryExists } from '../../lib/fs/exists.js';
import type { Paths } from '../../lib/paths.js';
import type { ItemCounts } from '../../lib/rsync/itemize.js';
import type { RsyncSettings } from '../../lib/rsync/settings.js';
import { stampOf } from '../engine/stamp.js';
import { PROTECTED_PATHS } from './passes.js';
import { sentinelPath } from './sentinel.js';

export const MIRROR_REPORT_SCHEMA = 'ytm.ops.workspaces_mirror.v1';
export type MirrorOutcome = 'ok' | 'failed' | 'skipped' | 'over-limit';

export interface MirrorCommand {
  name: string;
  dest_dir?: string;
  enabled: boolean;
  cmd: string[];
}

export type MirrorStep =
  | {
      name: string;
      returncode: number | null;
      duration_sec: number;
      outcome: string;
      message: string;
      counts: ItemCounts;
      stdout_path?: string;
      stderr_path?: string;
      stdout_tail?: string;
      stderr_tail?: string;
    }
  | { name: string; skipped: true; reason: string };

export interface MirrorReportInput {
  run: boolean;
  at: Date;
  srcRoot: string;
  destRoot: string;
  repoRoot: string;
  sentinelExists: boolean;
  bootstrapDest: boolean;
  settings: RsyncSettings;
  commands: MirrorCommand[];
  steps: MirrorStep[];
  returncode: number;
  counts: ItemCounts;
  outcome: MirrorOutcome;
  reason: string | null;
  planId?: string;
  /** Extra facts: the delete limit, a taken-over lease, the share state. */
  extra?: Record<string, unknown>;
}

export const mirrorReportDir = (paths: Paths) => path.join(paths.opsLogsDir, 'workspaces_mirror');

/** The step log name: anything outside [A-Za-z0-9_.-] becomes '_' (the predecessor's rule). */
export const safeStepName = (name: string) => name.replace(/[^A-Za-z0-9_.-]/g, '_');

export function stepLogPaths(paths: Paths, stamp: string, step: string): { stdout: string; stderr: string } {
  const base = path.join(mirrorReportDir(paths), `workspaces_mirror__${stamp}__${safeStepName(step)}`);
  return { stdout: `${base}.stdout.log`, stderr: `${base}.stderr.log` };
}

/** A stamp no report has yet (a dry run and a run in the same second get distinct names). */
export async function freshStamp(paths: Paths, at: Date): Promise<string> {
  const dir = mirrorReportDir(paths);
  await mkdir(dir, { recursive: true });
  const stamp = stampOf(at);
  for (let i = 1; ; i++) {
    const s = i === 1 ? stamp : `${stamp}_${i}`;
    if (!(await entryExists(path.join(dir, `workspaces_mirror__${s}.json`)))) return s;
  }
}

export async function writeMirrorReport(paths: Paths, stamp: string, r: MirrorReportInput): Promise<string> {
  const file = path.join(mirrorReportDir(paths), `workspaces_mirror__${stamp}.json`);
  await writeJsonAtomic(file, {
    schema: MIRROR_REPORT_SCHEMA,
    generated_at: r.at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    run: r.run,
    stamp,
    outcome: r.outcome,
    reason: r.reason,
    counts: r.counts,
    ...(r.planId ? { plan_id: r.planId } : {}),
    vault: { sentinel: sentinelPath(r.destRoot), sentinel_exists: r.sentinelExists, bootstrap_dest: r.bootstrapDest },
    rsync: {
      commands: r.commands,
      delete: true,
      exclude_planning: true,
      extra_excludes: [],
      protected_paths: PROTECTED_PATHS,
      tuning: {
        nice: r.settings.nice,
        whole_file: r.settings.wholeFile,
        timeout_sec: r.settings.timeoutSec,
        bwlimit_kbps: r.settings.bwlimitKbps,
      },
    },
    paths: { repo_root: r.repoRoot, src_root: r.srcRoot, dest_root: r.destRoot },
    result: { returncode: r.returncode, steps: r.steps },
    ...(r.extra ?? {}),
  });
  return file;
}

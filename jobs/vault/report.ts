// The predecessor's report, in its place and format (facts §3.12): logs/ops/vault_workspaces_doctor/
// vault_workspaces_doctor__<STAMP>.json, schema ytm.ops.vault_workspaces_doctor.v1. It is written by the plan's
// last action from what this apply did (kept in memory: one apply runs all of a plan's actions in one process).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from '../../lib/fs/atomic.js';
import { reportDir } from '../../lib/paths.js';
import { stampOf } from '../engine/stamp.js';
import type { ActionOutcome, JobContext } from '../engine/types.js';
import type { VaultAction } from './action.js';

export const VAULT_REPORT_DIR = 'vault_workspaces_doctor';

interface SymlinkEntry {
  path: string;
  changed: boolean;
  before: string;
  after: string;
  note?: string;
}
interface EnsureEntry {
  action: string;
  changed: boolean;
  path: string;
  note: string;
}

const applied = new Map<string, { symlinks: SymlinkEntry[]; ensure: EnsureEntry[] }>();

function entriesOf(planId: string) {
  let e = applied.get(planId);
  if (!e) {
    e = { symlinks: [], ensure: [] };
    applied.set(planId, e);
  }
  return e;
}

export function noteChange(planId: string, a: VaultAction, outcome: ActionOutcome): void {
  const e = entriesOf(planId);
  const changed = outcome.status === 'done';
  if (a.op === 'rewrite') {
    e.symlinks.push({
      path: a.link,
      changed,
      before: a.before,
      after: changed ? a.after : a.before,
      ...(changed ? {} : { note: outcome.message }),
    });
  } else if (a.op === 'ensure-dir' || a.op === 'ensure-link') {
    const action = a.path === 'video/runs' ? 'ensure_video_runs' : 'ensure_thumbnails_assets';
    e.ensure.push({ action, changed, path: a.abs, note: outcome.message });
  }
}

export async function writeVaultReport(
  ctx: JobContext,
  planId: string,
  outside: { path: string; target: string }[],
): Promise<string> {
  const at = ctx.now();
  const stamp = stampOf(at);
  const e = entriesOf(planId);
  const vaultRoot = ctx.paths.vaultRoot ?? '';
  const symlinks = [
    ...e.symlinks,
    ...outside.map((o) => ({
      path: path.join(vaultRoot, o.path),
      changed: false,
      before: o.target,
      after: o.target,
      note: 'target outside the share: not touched',
    })),
  ];
  const dir = reportDir(ctx.paths, VAULT_REPORT_DIR);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${VAULT_REPORT_DIR}__${stamp}.json`);
  await writeJsonAtomic(file, {
    schema: 'ytm.ops.vault_workspaces_doctor.v1',
    generated_at: at.toISOString(),
    run: true,
    stamp,
    plan_id: planId,
    paths: { repo_root: ctx.paths.repoRoot, shared_root: ctx.paths.sharedRoot, vault_root: vaultRoot },
    changes: { symlinks, ensure: e.ensure },
  });
  applied.delete(planId);
  return file;
}

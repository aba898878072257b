// The links directly under video/input (local disk) and whether their targets in the share are reachable, asked
// in a guarded child under the share's probe lease: a target under a hung mount is never stat'ed here.
import type { Dirent } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { classifyLinkTarget } from '../../lib/fs/links.js';
import { leaseFor } from '../../lib/guard/lease.js';
import type { ExistsState } from '../../lib/guard/ops.js';
import { runGuarded } from '../../lib/guard/run.js';
import type { ShareProbe } from '../../lib/share/state.js';
import type { JobContext } from '../engine/types.js';

export interface InputLink {
  name: string;
  link: string;
  target: string;
  /** The target, resolved against the link's folder (lexically). */
  absoluteTarget: string;
  intoShare: boolean;
}

export const inputDir = (ctx: JobContext) => path.join(ctx.paths.workspaceRoot, 'video', 'input');

/** Entries of video/input (a missing folder has none). */
export async function inputEntries(ctx: JobContext): Promise<Dirent[]> {
  return readdir(inputDir(ctx), { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
}

export async function inputLink(ctx: JobContext, name: string): Promise<InputLink> {
  const link = path.join(inputDir(ctx), name);
  const target = await readlink(link);
  const info = classifyLinkTarget(link, target, { shareRoot: ctx.paths.sharedRoot });
  return { name, link, target, absoluteTarget: info.absoluteTarget, intoShare: info.intoShare };
}

export type Reach = { ok: true; states: ExistsState[] } | { ok: false; message: string };

/** Whether each target exists, from a guarded child (one per share root at a time). Hung: answered without one. */
export async function reachTargets(ctx: JobContext, share: ShareProbe, targets: string[]): Promise<Reach> {
  if (targets.length === 0) return { ok: true, states: [] };
  if (share.state === 'hung') return { ok: false, message: `the share is hung (${share.reason})` };
  const { stateDir, sharedRoot, vaultRoot } = ctx.paths;
  const lease = targets[0] ? leaseFor({ stateDir, sharedRoot, vaultRoot }, targets[0]) : undefined;
  const r = await runGuarded<ExistsState[]>(
    { op: 'exists', paths: targets },
    { timeoutMs: ctx.config.YTM_SHARE_PROBE_TIMEOUT_MS, ...(lease ? { lease } : {}) },
  );
  return r.ok ? { ok: true, states: r.value } : { ok: false, message: r.message };
}

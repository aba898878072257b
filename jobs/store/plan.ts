// store's read-only plan: resolve the items, check every guard, fingerprint every fact, list the actions.
import path from 'node:path';
import { blockingLocksForFile, readActiveLocks } from '../../lib/locks/coordination.js';
import type { JsonObject, JsonValue, Refusal } from '../../lib/plan/types.js';
import { publishedFact } from '../../lib/planning/published.js';
import { resolvePlanningRoot } from '../../lib/planning/root.js';
import { formatBytes } from '../engine/output.js';
import { refusedDraft } from '../engine/refused.js';
import type { JobContext, PlanDraft } from '../engine/types.js';
import type { StoreInput } from './input.js';
import { type StoreItem, storeItems } from './items.js';
import { planActions, targetFacts } from './plan-actions.js';
import { resolveStoreTarget, type StoreTarget } from './target.js';

/**
 * Refusals for symlink-back / move: share down, unposted or undeterminable episode (unless break-glass, which is
 * audited).
 */
async function guardSourceChanges(
  items: StoreItem[],
  input: StoreInput,
  target: StoreTarget,
  ctx: JobContext,
  out: { refusals: Refusal[]; warnings: string[]; notices: NonNullable<PlanDraft['notices']>; published: JsonObject },
): Promise<void> {
  const changing = items.filter((i) => i.after !== 'keep');
  if (changing.length === 0) return;
  const flag = input.mode === 'move' ? '--move' : '--symlink-back';
  if (target.offline) {
    out.refusals.push({
      code: 'SHARE_DOWN',
      message: `${flag} is refused while the share is down (${target.state}: ${target.reason}); store without it (the copy goes to the local outbox) and link back after the outbox is flushed`,
    });
  }
  const via = input.allowUnposted
    ? '--allow-unposted'
    : ctx.config.YTM_EMERGENCY_OVERRIDE
      ? 'YTM_EMERGENCY_OVERRIDE=1'
      : null;
  const breakGlass = 'Break-glass: --allow-unposted or YTM_EMERGENCY_OVERRIDE=1 (audited)';
  // A file whose episode neither its folders nor its name tell cannot be checked for unposted: refuse it.
  for (const item of changing.filter((i) => i.episode === null)) {
    const basis = 'no episode could be determined from its real folders or its name';
    if (!via) {
      out.refusals.push({
        code: 'EPISODE_UNKNOWN',
        message: `${item.rel}: ${basis}, so it cannot be checked for unposted and is not ${input.mode === 'move' ? 'moved' : 'symlinked back'}. Name it with --episode CHxx-NNN. ${breakGlass}`,
      });
      continue;
    }
    out.warnings.push(`BREAK-GLASS: ${item.rel}: ${basis}; ${flag} allowed by ${via} (recorded in the audit log)`);
    out.notices.push({ kind: 'job.override', data: { episode: null, path: item.rel, via, mode: input.mode, basis } });
  }
  const episodes = [...new Set(changing.map((i) => i.episode).filter((e): e is string => e !== null))];
  if (episodes.length === 0) return;
  const timeoutMs = ctx.config.YTM_SHARE_PROBE_TIMEOUT_MS;
  // The same planning root the doctor reads, with its local fallback (PLANNING_FALLBACK).
  const planning = await resolvePlanningRoot(ctx.paths, target, timeoutMs);
  for (const ep of episodes) {
    const fact = await publishedFact(ctx.paths, planning, ep, timeoutMs);
    out.published[ep] = fact.published;
    if (fact.published) continue;
    if (!via) {
      out.refusals.push({
        code: 'UNPOSTED',
        message: `${ep} is ${fact.basis}: unposted (Hot/Freeze) episodes are never moved or symlinked back. ${breakGlass}`,
      });
      continue;
    }
    out.warnings.push(`BREAK-GLASS: ${ep} is ${fact.basis}; ${flag} allowed by ${via} (recorded in the audit log)`);
    out.notices.push({ kind: 'job.override', data: { episode: ep, via, mode: input.mode, basis: fact.basis } });
  }
}

export async function planStore(input: StoreInput, ctx: JobContext): Promise<PlanDraft> {
  const target = await resolveStoreTarget(ctx);
  if (!target) {
    return refusedDraft([
      { code: 'SHARE_UNCONFIGURED', message: 'YTM_SHARED_STORAGE_ROOT is not set: there is no share to store to' },
    ]);
  }
  const linkBase = ctx.paths.sharedBase ?? target.base;
  const resolved = await storeItems(input, ctx.paths.workspaceRoot, (destRel) => path.join(linkBase, destRel));
  const refusals: Refusal[] = [...resolved.refusals];
  const warnings: string[] = resolved.alreadyLinked.map(
    (l) => `${l.rel} is already stored and replaced by a link to ${l.target}: nothing to do for it`,
  );
  const notices: NonNullable<PlanDraft['notices']> = [];
  const published: JsonObject = {};
  const items = resolved.items;
  if (items.length === 0 && refusals.length === 0 && resolved.alreadyLinked.length === 0) {
    refusals.push({ code: 'NOTHING_TO_STORE', message: 'no file to store' });
  }

  const locks = await readActiveLocks(ctx.paths.agentQueueDir, { now: ctx.now() });
  const lockIds: JsonValue[] = [];
  for (const item of items) {
    for (const l of await blockingLocksForFile(ctx.paths.repoRoot, item.src, locks, { now: ctx.now() })) {
      lockIds.push(l.id);
      refusals.push({
        code: 'LOCKED',
        message: `${item.rel} is under coordination lock ${l.id} (by ${l.createdBy || '?'}${l.note ? `: ${l.note}` : ''}${l.expiresAt ? `, until ${l.expiresAt.toISOString()}` : ''})`,
      });
    }
  }
  await guardSourceChanges(items, input, target, ctx, { refusals, warnings, notices, published });

  const planned = await planActions(
    items.map((i) => ({
      src: i.src,
      srcRel: i.rel,
      destRel: i.destRel,
      kind: i.kind,
      episode: i.episode,
      after: i.after,
      flushedFrom: null,
    })),
    target,
    input.overwrite,
    ctx,
  );
  refusals.push(...planned.refusals);
  const { actions, needed } = planned;
  if (target.offline) {
    warnings.push(
      `the share is ${target.state} (${target.reason}): files go to the local outbox ${target.base} and wait there for \`ytm outbox flush\``,
    );
  }

  const upToDate = actions.filter((a) => a.destState === 'same').length;
  const where = target.offline ? `the LOCAL OUTBOX (${target.base})` : `the share (${target.base})`;
  const summary = `store ${actions.length} file(s) to ${where}: ${formatBytes(needed)} to copy${upToDate > 0 ? `, ${upToDate} already up to date` : ''}${input.mode !== 'copy' ? `, then ${input.mode}` : ''}`;
  return {
    preconditions: {
      share: targetFacts(target),
      sources: planned.sources,
      destinations: planned.destinations,
      space: { enough: planned.enough },
      locks: lockIds,
      published,
      alreadyLinked: resolved.alreadyLinked.map((l) => l.rel),
    },
    actions,
    warnings,
    refusals,
    summary,
    notices,
  };
}

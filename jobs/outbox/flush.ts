// `outbox flush`: copy every waiting outbox file to the same place under the share's base with the verified
// store action, write a new manifest (offline_fallback false, flushed_from), and remove the outbox copy only
// after verification. Refused while the share is not up.
import path from 'node:path';
import { z } from 'zod';
import type { Refusal } from '../../lib/plan/types.js';
import { formatEpisodeId } from '../../lib/planning/episode.js';
import { formatBytes } from '../engine/output.js';
import { refusedDraft } from '../engine/refused.js';
import type { Job, JobContext, PlanDraft } from '../engine/types.js';
import { describeStoreAction } from '../store/action.js';
import { executeStoreAction } from '../store/execute.js';
import { planActions, targetFacts } from '../store/plan-actions.js';
import { resolveStoreTarget } from '../store/target.js';
import { listOutbox } from './list.js';
import { knownOutboxRoots } from './roots.js';

export const OutboxFlushInputSchema = z.object({ action: z.literal('flush') });
export type OutboxFlushInput = z.infer<typeof OutboxFlushInputSchema>;

function episodeOf(rel: string): string | null {
  const p = rel.split('/');
  return p.length >= 4 && p[1] && p[2] ? formatEpisodeId(p[1], p[2]) : null;
}

async function planFlush(_input: OutboxFlushInput, ctx: JobContext): Promise<PlanDraft> {
  const target = await resolveStoreTarget(ctx);
  const refuse = (r: Refusal): PlanDraft => refusedDraft([r], target ? { share: targetFacts(target) } : {});
  if (!target) return refuse({ code: 'SHARE_UNCONFIGURED', message: 'YTM_SHARED_STORAGE_ROOT is not set' });
  if (target.offline) {
    return refuse({
      code: 'SHARE_DOWN',
      message: `the share is ${target.state} (${target.reason}); the outbox can only be flushed to a share that is up`,
    });
  }
  const roots = await knownOutboxRoots(ctx.config, ctx.paths.stateDir, null);
  const files = await listOutbox(roots, ctx.paths.namespace);
  const planned = await planActions(
    files.map((f) => ({
      src: f.path,
      srcRel: f.path,
      destRel: f.rel,
      kind: f.rel.split('/')[0] ?? 'misc',
      episode: episodeOf(f.rel),
      after: 'move' as const,
      flushedFrom: f.path,
    })),
    target,
    false,
    ctx,
  );
  const upToDate = planned.actions.filter((a) => a.destState === 'same').length;
  return {
    preconditions: {
      share: targetFacts(target),
      outboxRoots: roots,
      sources: planned.sources,
      destinations: planned.destinations,
      space: { enough: planned.enough },
    },
    actions: planned.actions,
    warnings: [],
    refusals: planned.refusals,
    summary:
      files.length === 0
        ? `the outbox is empty (${roots.map((r) => path.join(r, 'uploads', ctx.paths.namespace)).join(', ')})`
        : `flush ${files.length} file(s) from the outbox to the share (${target.base}): ${formatBytes(planned.needed)} to copy${upToDate > 0 ? `, ${upToDate} already there` : ''}; each outbox copy is removed after its copy is verified`,
  };
}

export const outboxFlushJob: Job<OutboxFlushInput> = {
  name: 'outbox',
  summary: 'copy files waiting in the local outbox to the share, verified, then remove the outbox copies',
  input: OutboxFlushInputSchema,
  mutates: true,
  destructive: () => true,
  plan: planFlush,
  describeAction: describeStoreAction,
  applyAction: (action, _index, ctx, planId) => executeStoreAction(action, ctx, planId),
};

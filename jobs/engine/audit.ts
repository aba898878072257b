// Audit lines written by the job engine. Kinds are stable strings; `data` is plain JSON.
import { appendAudit } from '../../lib/audit/log.js';
import type { JsonValue } from '../../lib/plan/types.js';

export type JobAuditKind =
  | 'job.request'
  | 'job.plan'
  | 'plan.approved'
  | 'job.start'
  | 'job.refused'
  | 'job.stale'
  | 'job.override'
  | 'job.result'
  | 'job.interrupted';

export async function audit(
  stateDir: string,
  kind: JobAuditKind,
  actor: string,
  planId: string | undefined,
  data: JsonValue,
): Promise<void> {
  await appendAudit(stateDir, { kind, actor, ...(planId ? { planId } : {}), data });
}

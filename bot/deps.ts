// What every listener gets: configuration, the job controller, the logger and the audit hook.
import { hostname } from 'node:os';
import { appendAudit } from '../lib/audit/log.js';
import type { Config } from '../lib/config.js';
import type { Logger } from '../lib/log.js';
import type { AccessDecision, AccessPolicy, Requester } from './access.js';
import type { JobControl } from './job-control.js';
import type { BotSettings } from './settings.js';

export interface BotDeps {
  config: Config;
  settings: BotSettings;
  stateDir: string;
  host: string;
  log: Logger;
  jobs: JobControl;
  policy: AccessPolicy;
  /** Handlers still running after their ack (replies in flight); shutdown waits for them briefly. */
  inflight: Set<Promise<unknown>>;
}

export function makeHost(): string {
  return hostname();
}

/**
 * Appends to the audit log without ever failing the caller (a broken audit log is logged loudly). Resolves to
 * whether the line was written: await it when the line must be in the log before what it records happens.
 */
export function audit(
  deps: BotDeps,
  kind: string,
  actor: string | undefined,
  data: Record<string, string | number | boolean | null>,
): Promise<boolean> {
  const p = appendAudit(deps.stateDir, { kind, ...(actor ? { actor } : {}), data }).then(
    () => true,
    (err: unknown) => {
      deps.log.error({ kind, err: (err as Error).message }, 'audit append failed');
      return false;
    },
  );
  track(deps, p);
  return p;
}

export function track(deps: BotDeps, p: Promise<unknown>): void {
  const wrapped = p.catch((err: unknown) => deps.log.error({ err: (err as Error)?.message }, 'background task failed'));
  deps.inflight.add(wrapped);
  void wrapped.finally(() => deps.inflight.delete(wrapped));
}

/**
 * Logs and audits a refusal. Returns the decision's message for the ephemeral answer and the audit write, so a
 * caller that is not bound by the 3 s ack can answer after the refusal is on record.
 */
export function refuse(
  deps: BotDeps,
  who: Requester,
  what: string,
  decision: Extract<AccessDecision, { ok: false }>,
): { message: string; recorded: Promise<boolean> } {
  deps.log.warn(
    { user: who.userId, channel: who.channelId, team: who.teamId, what, reason: decision.reason },
    'slack request refused',
  );
  const recorded = audit(deps, 'slack.refused', who.userId, {
    channel: who.channelId ?? null,
    team: who.teamId ?? null,
    what,
    reason: decision.reason,
  });
  return { message: decision.message, recorded };
}

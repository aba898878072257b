// An Approve click writes `plan.approved` to the audit log before the apply child starts (it used to be a
// fire-and-forget write racing the child's own `job.start`). Driven through the real handleApprove with a job
// controller that snapshots the log at the moment the child would be started.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessPolicy } from '../../bot/access.js';
import { handleApprove } from '../../bot/approvals/approve.js';
import type { BotDeps } from '../../bot/deps.js';
import type { JobControl, JobRequest } from '../../bot/job-control.js';
import { botSettings } from '../../bot/settings.js';
import { auditFile } from '../../lib/audit/paths.js';
import { loadConfig } from '../../lib/config.js';
import type { JobOutcome } from '../../lib/job-runner.js';
import { createLogger } from '../../lib/log.js';
import { storedPlan, storeInput } from '../jobs/support/engine.js';
import { type MiniWorkspace, miniWorkspace } from '../jobs/support/workspace.js';

let w: MiniWorkspace;
beforeEach(() => {
  w = miniWorkspace();
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

describe('approval audit order', () => {
  it('plan.approved is in the log when the apply child is started', async () => {
    const env = { ...w.env, YTM_SLACK_APPROVERS: 'U0APPROVER' };
    const { planId } = await storedPlan(env, storeInput({ path: 'audio/final/CH02/043/CH02-043.wav' }), {
      approve: false,
      requestedIn: 'C0OPS',
    });
    const loaded = loadConfig(env);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const started: { args: string[]; logAtStart: string }[] = [];
    const outcome: JobOutcome = {
      status: 'exited',
      exitCode: 1,
      signal: null,
      result: null,
      events: 0,
      stderrTail: '',
      durationMs: 0,
      abandoned: false,
    };
    const run = (req: JobRequest) => {
      // Synchronously, as the child would be spawned: what has reached the log by now?
      started.push({
        args: req.args,
        logAtStart: existsSync(auditFile(w.state)) ? readFileSync(auditFile(w.state), 'utf8') : '',
      });
      return { pid: undefined, done: Promise.resolve(outcome) };
    };
    const jobs = { reserve: () => ({ release() {}, run }) } as unknown as JobControl;
    const deps: BotDeps = {
      config: loaded.config,
      settings: botSettings(loaded.config),
      stateDir: w.state,
      host: 'test',
      log: createLogger({ level: 'silent' }),
      jobs,
      policy: accessPolicy(loaded.config),
      inflight: new Set(),
    };
    await handleApprove(deps, {} as WebClient, {
      planId,
      userId: 'U0APPROVER',
      channelId: 'C0OPS',
      messageTs: undefined,
      responseUrl: undefined,
    });
    await Promise.all([...deps.inflight]);
    expect(started.map((s) => s.args.slice(0, 2))).toEqual([['apply', planId]]);
    const kinds = (started[0]?.logAtStart ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { kind: string; data: { planId?: string } });
    expect(kinds.some((e) => e.kind === 'plan.approved' && e.data.planId === planId)).toBe(true);
  });
});

// `ytm apply` of a plan that was approved in time but had not started when its approval window closed: it is
// not run (the claim approved → running is refused past the TTL, with no expiry sweep needed first).
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPlan } from '../../lib/approvals/store.js';
import { readAudit } from '../../lib/audit/log.js';
import { storedPlan, storeInput } from './support/engine.js';
import { filesUnder } from './support/files.js';
import { ytm } from './support/run.js';
import { type MiniWorkspace, miniWorkspace } from './support/workspace.js';

let w: MiniWorkspace;
beforeEach(() => {
  w = miniWorkspace();
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

describe('an approved plan past its expiry', () => {
  it('is not run by `ytm apply`: exit 2, "it expired", the plan becomes expired, nothing is copied', async () => {
    const ttlMs = 1_500;
    const { planId } = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }), { ttlMs });
    const rec = await getPlan(w.state, planId);
    expect(rec?.state).toBe('approved');
    // Wait out the window (no sweep runs: nothing but the apply itself looks at the TTL).
    await new Promise((r) => setTimeout(r, Date.parse(rec?.expiresAt ?? '') - Date.now() + 50));

    const r = await ytm(['apply', planId, '--json'], w.env);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stdout).toContain('it expired');
    const after = await getPlan(w.state, planId);
    expect(after?.state).toBe('expired');
    expect(after?.history.at(-1)?.note).toBe('not started before expiry');
    expect(filesUnder(w.base).filter((f) => !f.startsWith('manifests/'))).toEqual([]);
    const audit = await readAudit(w.state);
    expect(audit.some((e) => e.planId === planId && e.kind === 'job.start')).toBe(false);
    expect(audit.some((e) => e.planId === planId && e.kind === 'job.refused')).toBe(true);
  });
});

// Recovery and the bot's instance lock key on a host id kept in YTM_STATE_DIR, not on hostname(): a MacBook's
// host name changes with the network, and a crashed run keyed by the old name stayed "running" forever.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookupJob } from '../../jobs/apply/registry.js';
import { applyStoredPlan } from '../../jobs/engine/apply.js';
import { recoverInterrupted } from '../../jobs/engine/recover.js';
import { getPlan, transition } from '../../lib/approvals/store.js';
import { hostIdentity, hostIdFile, isThisHost } from '../../lib/locks/host-id.js';
import { acquireInstanceLock } from '../../lib/locks/instance.js';
import { storedPlan, storeInput } from './support/engine.js';
import { type MiniWorkspace, miniWorkspace } from './support/workspace.js';

let w: MiniWorkspace;
beforeEach(() => {
  w = miniWorkspace();
});
afterEach(() => rmSync(w.dir, { recursive: true, force: true }));

async function deadPid(): Promise<number> {
  const r = await execa(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout);
}

describe('host id', () => {
  it('is made once: processes starting together agree, and later host names are added to the same id', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => hostIdentity(w.state, 'dd-mbp.local')));
    expect(new Set(ids.map((i) => i.id)).size).toBe(1);
    const later = await hostIdentity(w.state, 'dd-mbp-2.local');
    expect(later.id).toBe(ids[0]?.id);
    expect(later.hostnames).toEqual(['dd-mbp.local', 'dd-mbp-2.local']);
    expect(JSON.parse(readFileSync(hostIdFile(w.state), 'utf8'))).toEqual(later);
    expect(isThisHost('dd-mbp.local', later)).toBe(true);
    expect(isThisHost(later.id, later)).toBe(true);
    expect(isThisHost('acer-box', later)).toBe(false);
  });

  it('a crashed run recorded under an earlier host name of this Mac is recovered, not left running', async () => {
    // This machine was "dd-mbp.local" when ytm-ops first ran; now it has its current name.
    await hostIdentity(w.state, 'dd-mbp.local');
    const { planId } = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }));
    await transition(w.state, planId, {
      from: 'approved',
      to: 'running',
      note: `pid ${await deadPid()} on dd-mbp.local`,
    });
    const other = (await storedPlan(w.env, storeInput({ episode: 'CH02-043' }))).planId;
    await transition(w.state, other, { from: 'approved', to: 'running', note: `pid ${await deadPid()} on acer-box` });
    expect((await recoverInterrupted(w.state)).map((r) => r.planId)).toEqual([planId]);
    expect((await getPlan(w.state, planId))?.state).toBe('interrupted');
    // Another machine's runner is not ours to judge.
    expect((await getPlan(w.state, other))?.state).toBe('running');
  });

  it('an apply records the host id, so recovery finds its runner whatever the host name is by then', async () => {
    const { planId, ctx } = await storedPlan(w.env, storeInput({ episode: 'CH02-044' }));
    await applyStoredPlan(w.state, planId, ctx, lookupJob);
    const rec = await getPlan(w.state, planId);
    const note = rec?.history.find((h) => h.to === 'running')?.note ?? '';
    expect(note).toBe(`pid ${process.pid} on ${(await hostIdentity(w.state)).id}`);
    expect(note).not.toMatch(new RegExp(`on ${hostname()}$`));
  });

  it("the bot's instance lock carries the host id and a dead holder under an old host name is taken over", async () => {
    const lockPath = path.join(w.state, 'bot.lock');
    await hostIdentity(w.state, 'dd-mbp.local');
    const now = new Date().toISOString();
    writeFileSync(
      lockPath,
      JSON.stringify({ pid: await deadPid(), host: 'dd-mbp.local', startedAt: now, heartbeatAt: now }),
    );
    const lock = await acquireInstanceLock(lockPath, { heartbeatMs: 60_000 });
    try {
      expect(lock.takenOverFrom?.host).toBe('dd-mbp.local');
      expect(lock.info.host).toBe((await hostIdentity(w.state)).id);
    } finally {
      await lock.release();
    }
    expect(existsSync(lockPath)).toBe(false);
  });
});

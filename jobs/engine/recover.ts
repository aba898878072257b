// Crash recovery at start-up: a plan left `running` by a process that no longer exists becomes `interrupted`,
// with what its journal says was done. A plan whose runner is still alive on this host is left alone, so a
// terminal `ytm` starting while the bot's job child runs does not "interrupt" it. "This host" is the stable host
// id in the state dir (lib/locks/host-id.ts), not hostname(), which a MacBook changes with the network.
import { listPlans, transition } from '../../lib/approvals/store.js';
import { hostIdentity, isThisHost } from '../../lib/locks/host-id.js';
import { procIdentity } from '../../lib/locks/proc-start.js';
import { RUNNING_NOTE_RE } from './apply.js';
import { audit } from './audit.js';
import { describeInterrupted } from './journal.js';

export interface Recovered {
  planId: string;
  job: string;
  description: string;
}

export async function recoverInterrupted(stateDir: string, actor = 'ytm:recovery'): Promise<Recovered[]> {
  const out: Recovered[] = [];
  const running = await listPlans(stateDir, { states: ['running'] });
  if (running.length === 0) return out;
  const here = await hostIdentity(stateDir);
  for (const rec of running) {
    const last = [...rec.history].reverse().find((h) => h.to === 'running');
    const m = RUNNING_NOTE_RE.exec(last?.note ?? '');
    // procIdentity, not a bare kill(0): a runner killed a moment ago can still be an unreaped zombie, which kill(0)
    // calls alive, and its plan would then stay `running` for good.
    const ours = m?.[2] !== undefined && isThisHost(m[2], here);
    if (m?.[1] && ours && (await procIdentity(Number(m[1]))) !== null) continue;
    if (m?.[2] && !ours) continue; // another host's runner: not ours to judge
    const d = await describeInterrupted(stateDir, rec.planId);
    const r = await transition(stateDir, rec.planId, {
      from: 'running',
      to: 'interrupted',
      by: actor,
      note: `runner gone: ${d.text}`.slice(0, 1000),
      patch: {
        result: {
          state: 'interrupted',
          description: d.text,
          completed: d.completed.map((c) => ({ index: c.index, label: c.label, status: c.status })),
          inProgress: d.inProgress.map((c) => ({ index: c.index, label: c.label })),
          notStarted: d.notStarted,
        },
      },
    });
    if (!r.ok) continue;
    await audit(stateDir, 'job.interrupted', actor, rec.planId, { job: rec.plan.job, description: d.text });
    out.push({ planId: rec.planId, job: rec.plan.job, description: d.text });
  }
  return out;
}

// A guarded child's turn on a share root: first after this process's earlier ops on the same root (a queue,
// no polling), then holding the root's probe lease against every other process.
import path from 'node:path';
import { isInside } from '../fs/contain.js';
import { acquireProbeLease, describeHolder, type HeldLease, type LeaseView, leasePath } from '../share/probe-lease.js';

export interface GuardLease {
  /** `YTM_STATE_DIR`: where the lease files live. */
  stateDir: string;
  /** The share root the op touches (one lease per root). */
  root: string;
}

export type ShareTurn =
  | { ok: true; lease: HeldLease; end: () => void }
  /** `holder` when an earlier child is stuck on the root; else the wait ran out (`message` says on what). */
  | { ok: false; holder?: LeaseView; message: string };

const queues = new Map<string, Promise<void>>();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function beforeDeadline(p: Promise<void>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.then(() => true),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), Math.max(0, deadline - Date.now()));
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Waits (until `deadline`) for the right to hand `op` to `child` on `g.root`. Answers at once with the holder when
 * the root's lease is held by a stuck child; waits while it is held by one that is still within its time.
 */
export async function takeShareTurn(
  g: GuardLease,
  op: string,
  child: { pid: number | undefined; startTime: Promise<string> },
  deadline: number,
): Promise<ShareTurn> {
  const key = leasePath(g.stateDir, g.root);
  const before = queues.get(key) ?? Promise.resolve();
  let end = () => {};
  const mine = new Promise<void>((resolve) => {
    end = resolve;
  });
  const tail = before.then(() => mine);
  queues.set(key, tail);
  const done = () => {
    end();
    if (queues.get(key) === tail) queues.delete(key);
  };
  try {
    if (!(await beforeDeadline(before, deadline))) {
      done();
      return { ok: false, message: `an earlier op of this process on ${g.root} did not finish in time` };
    }
    if (child.pid === undefined) throw new Error('the guard child has no pid');
    const claim = { pid: child.pid, startTime: await child.startTime, op, deadline };
    let delay = 5;
    for (;;) {
      const r = await acquireProbeLease(g.stateDir, g.root, claim);
      if (r.ok) return { ok: true, lease: r.held, end: done };
      if (r.holder.status === 'stuck') {
        done();
        return { ok: false, holder: r.holder, message: describeHolder(r.holder) };
      }
      if (Date.now() + delay >= deadline) {
        done();
        return { ok: false, message: `the share root is still in use by a ${describeHolder(r.holder)}` };
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 50);
    }
  } catch (err) {
    done();
    throw err;
  }
}

/**
 * The lease a guarded op on `target` must hold: the share root's, or the vault root's when the vault is configured
 * apart from the share; undefined for a local path (no lease, no wait).
 */
export function leaseFor(
  paths: { stateDir: string; sharedRoot: string | null; vaultRoot: string | null },
  target: string,
): GuardLease | undefined {
  const root = [paths.sharedRoot, paths.vaultRoot].find((r): r is string => r !== null && isInside(r, target));
  return root === undefined ? undefined : { stateDir: paths.stateDir, root: path.resolve(root) };
}

// Child for the CAS race: for every "<op> <planId>" line on stdin, try to approve and print the outcome.
import { createInterface } from 'node:readline';
import { recordApproval, storeLockOptions, transition } from '../../../../lib/approvals/store.js';

const [stateDir, user] = process.argv.slice(2) as [string, string];
storeLockOptions.timeoutMs = 20_000;
const rl = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of rl) {
  const [op, id] = line.split(' ') as [string, string];
  const r =
    op === 'vote'
      ? await recordApproval(stateDir, id, { user, needed: 1 })
      : await transition(stateDir, id, { from: 'awaiting_approval', to: 'approved', by: user });
  const won = r.ok && (op !== 'vote' || ('approved' in r && r.approved));
  process.stdout.write(`${JSON.stringify({ id, won, reason: r.ok ? undefined : r.reason })}\n`);
}

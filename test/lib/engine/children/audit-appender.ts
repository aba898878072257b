// Child for concurrent audit appends: append N entries tagged with this child's name.
import { appendAudit } from '../../../../lib/audit/log.js';

const [stateDir, n, tag] = process.argv.slice(2) as [string, string, string];
for (let i = 0; i < Number(n); i++) {
  await appendAudit(stateDir, { kind: 'test.append', actor: tag, data: { tag, i } });
}
process.stdout.write('done\n');

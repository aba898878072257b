// Child that takes the single-instance lock, says so, and holds it until killed or stdin closes.
import { acquireInstanceLock } from '../../../../lib/locks/instance.js';

const [path, mode] = process.argv.slice(2) as [string, string | undefined];
const lock = await acquireInstanceLock(path, { heartbeatMs: 100 });
process.stdout.write(`locked ${process.pid}\n`);
if (mode === 'hold') await new Promise((r) => setTimeout(r, 3000)); // overlap with the other starters
process.stdin.resume();
process.stdin.on('end', async () => {
  await lock.release();
  process.exit(0);
});

// A stand-in job child for JobControl tests: waits until the file named by HOLD_FILE exists, then sends its
// arguments back as the job protocol's result event and exits. Lets a test keep children running on purpose.
import { existsSync } from 'node:fs';

const file = process.env.HOLD_FILE ?? '';
const timer = setInterval(() => {
  if (!existsSync(file)) return;
  clearInterval(timer);
  process.stdout.write(
    `${JSON.stringify({ type: 'result', exitCode: 0, data: { args: process.argv.slice(2), pid: process.pid } })}\n`,
  );
}, 20);

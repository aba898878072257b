// A stand-in `ytm` for scheduler tests (JobControl's cliPath): writes its pid to <PID_DIR>/<pid>, waits until
// HOLD_FILE exists (when set; a missing file holds it forever), then prints the job protocol's result event
// with the exit code and data of the JSON file SCRIPT_FILE ({ exitCode, data }) and exits with that code.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const { SCRIPT_FILE = '', HOLD_FILE = '', PID_DIR = '' } = process.env;
if (PID_DIR) writeFileSync(path.join(PID_DIR, String(process.pid)), process.argv.slice(2).join(' '));

const finish = () => {
  const { exitCode, data } = JSON.parse(readFileSync(SCRIPT_FILE, 'utf8')) as { exitCode: number; data: unknown };
  process.stdout.write(`${JSON.stringify({ type: 'result', exitCode, data })}\n`, () => process.exit(exitCode));
};

if (!HOLD_FILE) finish();
else {
  const timer = setInterval(() => {
    if (!existsSync(HOLD_FILE)) return;
    clearInterval(timer);
    finish();
  }, 20);
}

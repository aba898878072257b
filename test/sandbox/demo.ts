// `npm run demo`: generates a realistic factory workspace with planted faults and runs `ytm doctor` on it, the
// way an operator would. The workspace stays in ./demo-workspace (reused by the next run, `--reset` for a new
// one) so the other commands can be tried on it.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { compiledEntry } from '../../lib/guard/entry.js';
import { demoBanner, demoWorkspace } from './workspace.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    clean: { type: 'boolean' },
    json: { type: 'boolean' },
    reset: { type: 'boolean' },
  },
});
const ws = await demoWorkspace(path.resolve(values.dir ?? 'demo-workspace'), {
  reset: values.reset === true,
  faults: !values.clean,
  channels: 4,
  episodesPerChannel: 12,
});
process.stdout.write(`${demoBanner(ws, 'npm run demo')}\n\n`);
const cli = compiledEntry('jobs/cli.js');
// The fixture's disk thresholds (0 GiB) stay: the report then shows the planted faults only, the same on every
// machine (the banner says so).
const env = ws.env;
const run = await execa(process.execPath, [cli, 'doctor', ...(values.json ? ['--json'] : [])], {
  env: { ...env, YTM_ENV_FILE: path.join(ws.dir, 'no.env') },
  reject: false,
  stdio: ['ignore', 'inherit', 'inherit'],
});
const envFile = Object.entries(env)
  .map(([k, v]) => `${k}=${v}`)
  .join(' ');
process.stdout.write(
  `\nytm doctor exited ${run.exitCode} (0 ok, 1 warnings, 2 critical, 3 could not check).\n` +
    `Try it yourself on the same workspace:\n  env ${envFile} node ${path.relative(process.cwd(), cli)} doctor --json\n`,
);

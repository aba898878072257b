// `npm run demo`: generates a realistic factory workspace with planted faults and runs `ytm doctor` on it, the
// way an operator would. The workspace stays in ./demo-workspace so the other commands can be tried on it.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { compiledEntry } from '../../lib/guard/entry.js';
import { generateWorkspace } from '../fixtures/workspace.js';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, clean: { type: 'boolean' }, json: { type: 'boolean' } },
});
const dir = path.resolve(values.dir ?? 'demo-workspace');
await rm(dir, { recursive: true, force: true });
const ws = await generateWorkspace({ dir, faults: !values.clean, channels: 4, episodesPerChannel: 12 });
process.stdout.write(
  `Generated a demo workspace in ${dir}: ${ws.entries} entries, ${ws.symlinks} symlinks, ${values.clean ? 'no faults' : 'planted faults'}.\n\n`,
);
const cli = compiledEntry('jobs/cli.js');
// The fixture zeroes the disk thresholds for deterministic tests; the demo uses the real defaults.
const { YTM_DISK_WARN_GIB: _warn, YTM_DISK_STOP_GIB: _stop, ...env } = ws.env;
const run = await execa(process.execPath, [cli, 'doctor', ...(values.json ? ['--json'] : [])], {
  env: { ...env, YTM_ENV_FILE: path.join(dir, 'no.env') },
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

// The demo workspace of `npm run demo` and `npm run sandbox`: generated once, then kept, with whatever the CLI
// or the bot stored in it, until `--reset` asks for a new one. Its environment is saved next to it so a later
// run uses the same paths.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateWorkspace } from '../fixtures/workspace.js';

export interface DemoWorkspace {
  dir: string;
  env: Record<string, string>;
  /** False when an existing one was reused. */
  made: boolean;
  summary: string;
}

const envFile = (dir: string) => path.join(dir, 'demo-env.json');

export async function demoWorkspace(
  dir: string,
  opts: { reset: boolean; faults: boolean; channels: number; episodesPerChannel: number },
): Promise<DemoWorkspace> {
  if (!opts.reset && existsSync(envFile(dir))) {
    const saved = JSON.parse(await readFile(envFile(dir), 'utf8')) as { env: Record<string, string>; summary: string };
    return { dir, env: saved.env, made: false, summary: saved.summary };
  }
  if (!opts.reset && existsSync(dir)) {
    throw new Error(`${dir} exists and is not a demo workspace: pass --reset to replace it, or --dir <another folder>`);
  }
  await rm(dir, { recursive: true, force: true });
  const ws = await generateWorkspace({
    dir,
    faults: opts.faults,
    channels: opts.channels,
    episodesPerChannel: opts.episodesPerChannel,
  });
  const summary = `${ws.entries} entries, ${ws.symlinks} symlinks, ${opts.faults ? 'planted faults' : 'no faults'}`;
  await mkdir(dir, { recursive: true });
  await writeFile(envFile(dir), JSON.stringify({ env: ws.env, summary }, null, 2));
  return { dir, env: ws.env, made: true, summary };
}

/** The banner lines every demo prints: where the workspace is, that it is kept, and why no disk finding shows. */
export function demoBanner(ws: DemoWorkspace, command: string): string {
  return [
    `${ws.made ? 'Generated a demo workspace' : 'Using the demo workspace'} in ${ws.dir}: ${ws.summary}.`,
    `It is kept, with what you store in it; \`${command} -- --reset\` makes a new one (rm -rf ${ws.dir} removes it).`,
    'Disk thresholds are 0 GiB here (YTM_DISK_WARN_GIB/YTM_DISK_STOP_GIB), so every finding is a planted fault,',
    "never this machine's real free space; with the defaults (150/80 GiB) the doctor would also judge the disk.",
  ].join('\n');
}

#!/usr/bin/env node
import type { ConfigProblem } from '../lib/config.js';
// The `ytm` command: one entry point for the terminal and for the bot's job children (DESIGN: "the bot is
// one more caller of the CLI"). Parsing is shared with Slack through jobs/grammar.ts.
import { prewarmGuards } from '../lib/guard/run.js';
import type { ParsedCommand } from './grammar.js';

// The doctor's guarded steps (share probe, planning and link targets on the share, vault) each need a child
// process. Starting them before anything heavy loads lets their start-up overlap ours.
if (process.argv[2] === 'doctor') prewarmGuards(1);
const { helpText, parseCommandLine } = await import('./grammar.js');

const EXIT_USAGE = 64;
const EXIT_COULD_NOT_CHECK = 3;

function emit(events: boolean, line: object): void {
  if (events) process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(argv: string[]): Promise<number> {
  // `ytm apply <planId>` is the bot's job child after a Slack approval. It is not in the grammar, so no Slack
  // text can reach it.
  if (argv[0] === 'apply') return (await import('./apply/command.js')).applyCommand(argv.slice(1));
  // `ytm plan <job> <input JSON> --events`: the planning child of a terminal `--run`; read-only, also hidden.
  if (argv[0] === 'plan') return (await import('./engine/plan-child.js')).planChildCommand(argv.slice(1));
  if (argv[0] === '--version' || argv[0] === '-V') {
    process.stdout.write(`ytm-ops ${await version()} (node ${process.version})\n`);
    return 0;
  }
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) {
    const hint = parsed.suggestion ? ` Did you mean \`ytm ${parsed.suggestion}\`?` : '';
    process.stderr.write(`ytm: ${parsed.error}.${hint}\n`);
    process.stderr.write(parsed.command ? `${helpText(parsed.command)}\n` : 'Run `ytm help` for the commands.\n');
    return EXIT_USAGE;
  }
  const cmd = parsed.command;
  switch (cmd.spec.name) {
    case 'help':
      process.stdout.write(`${helpText(cmd.input.command as string | undefined)}\n`);
      return 0;
    case 'doctor':
      return doctor(cmd);
    case 'bot':
      // Loaded on demand: each command pays only for its own modules (start-up time is on every job's path).
      return (await import('./start-bot.js')).startBot();
    default: {
      const { JOB_COMMANDS } = await import('./apply/commands.js');
      const run = JOB_COMMANDS[cmd.spec.name];
      if (run) return run(cmd);
      process.stderr.write(`ytm: \`${cmd.spec.name}\` is not available yet in this version of ytm-ops.\n`);
      emit(cmd.events, { type: 'result', exitCode: 1, data: { error: 'not_available', command: cmd.spec.name } });
      return 1;
    }
  }
}

/** The version in package.json: this file runs as dist/jobs/cli.js, two folders below it. */
async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

async function doctor(cmd: ParsedCommand): Promise<number> {
  const { formatProblems, loadConfig } = await import('../lib/config.js');
  const loaded = loadConfig();
  const { resolvePaths } = await import('../lib/paths.js');
  const { workspaceRootProblem } = await import('../lib/workspace-root.js');
  const problems = loaded.ok
    ? [workspaceRootProblem(loaded.config, resolvePaths(loaded.config))].filter((p): p is ConfigProblem => p !== null)
    : loaded.problems;
  if (!loaded.ok || problems.length > 0) {
    process.stderr.write(`${formatProblems(problems)}\n`);
    emit(cmd.events, { type: 'result', exitCode: EXIT_COULD_NOT_CHECK, data: { error: 'config', problems } });
    return EXIT_COULD_NOT_CHECK;
  }
  const { runDoctor } = await import('./doctor/index.js');
  const report = await runDoctor(loaded.config, {
    onProgress: (stage, message) => emit(cmd.events, { type: 'progress', stage, message }),
  });
  if (cmd.events) emit(true, { type: 'result', exitCode: report.exitCode, data: report });
  else if (cmd.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${(await import('./doctor/text.js')).doctorText(report)}\n`);
  return report.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    // Exit explicitly: a guarded child abandoned on a hung share must not keep this process alive.
    process.stdout.write('', () => process.exit(code));
  },
  (err: unknown) => {
    process.stderr.write(`ytm: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(70);
  },
);

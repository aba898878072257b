// `ytm apply <planId> [--events|--json]`: hidden from Slack's grammar on purpose (a Slack user can never type
// it); the bot's job child runs it after a valid approval. It applies only a plan in state `approved`, once.
import { parseArgs } from 'node:util';
import { formatProblems } from '../../lib/config.js';
import { isPlanId } from '../../lib/plan/id.js';
import { applyStoredPlan } from '../engine/apply.js';
import { loadContext } from '../engine/context.js';
import { EXIT_FAILED, EXIT_USAGE } from '../engine/exit.js';
import { createOutput } from '../engine/output.js';
import { recoverInterrupted } from '../engine/recover.js';
import { applyText } from '../engine/render.js';
import { abortOnSignals } from '../engine/terminal.js';
import { lookupJob } from './registry.js';

export const APPLY_USAGE = 'ytm apply <planId> [--actor <who>] [--events | --json]';

export async function applyCommand(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: {
        json: { type: 'boolean' },
        events: { type: 'boolean' },
        yes: { type: 'boolean' },
        actor: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`ytm apply: ${(err as Error).message.split('. ')[0]}\nusage: ${APPLY_USAGE}\n`);
    return EXIT_USAGE;
  }
  const values = parsed.values as { json?: boolean; events?: boolean; actor?: string };
  const out = createOutput({ json: values.json === true, events: values.events === true });
  const id = parsed.positionals[0] ?? '';
  if (parsed.positionals.length !== 1 || !isPlanId(id)) {
    const message = `ytm apply: expected one plan id (64 hex characters)\nusage: ${APPLY_USAGE}`;
    out.result(EXIT_USAGE, { error: 'usage', message }, message);
    return EXIT_USAGE;
  }
  const stop = abortOnSignals();
  try {
    const loaded = loadContext({
      progress: out.progress,
      signal: stop.signal,
      ...(values.actor ? { actor: values.actor } : {}),
    });
    if (!loaded.ok) {
      const message = formatProblems(loaded.problems);
      out.result(EXIT_FAILED, { error: 'config', problems: loaded.problems }, message);
      return EXIT_FAILED;
    }
    const stateDir = loaded.ctx.paths.stateDir;
    await recoverInterrupted(stateDir).catch(() => []);
    const summary = await applyStoredPlan(stateDir, id, loaded.ctx, lookupJob);
    out.result(summary.exitCode, summary, applyText(summary));
    return summary.exitCode;
  } finally {
    stop.dispose();
  }
}

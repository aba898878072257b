// `ytm plan <job> <input JSON> --events`: hidden, like `ytm apply`. The terminal's `--run` plans in this child
// (planning touches the share: destination listing and hashes, free space) and reads the plan from its result.
// Read-only: it plans and prints, and writes nothing (the caller audits and stores the plan).
import { formatProblems } from '../../lib/config.js';
import { lookupJob } from '../apply/registry.js';
import { loadContext } from './context.js';
import { EXIT_FAILED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from './exit.js';
import { createOutput } from './output.js';
import { JobInputError, planJob } from './plan.js';
import { abortOnSignals } from './terminal.js';

export const PLAN_USAGE = 'ytm plan <job> <input JSON> --events';

export async function planChildCommand(args: string[]): Promise<number> {
  const out = createOutput({ json: false, events: true });
  const [name, inputJson, flag] = args;
  const job = name ? lookupJob(name) : undefined;
  let input: unknown;
  try {
    input = JSON.parse(inputJson ?? '');
  } catch {
    input = undefined;
  }
  if (!job || input === undefined || flag !== '--events' || args.length !== 3) {
    const message = `ytm plan: expected a job name, its input as JSON and --events\nusage: ${PLAN_USAGE}`;
    out.result(EXIT_USAGE, { error: 'usage', message }, message);
    return EXIT_USAGE;
  }
  const stop = abortOnSignals();
  try {
    const loaded = loadContext({ progress: out.progress, signal: stop.signal });
    if (!loaded.ok) {
      out.result(EXIT_FAILED, { error: 'config', problems: loaded.problems }, formatProblems(loaded.problems));
      return EXIT_FAILED;
    }
    const { plan, planId } = await planJob(job, input as never, loaded.ctx);
    out.result(EXIT_OK, { planId, plan }, '');
    return EXIT_OK;
  } catch (err) {
    if (!(err instanceof JobInputError)) throw err;
    out.result(EXIT_REFUSED, { error: 'input', message: err.message }, err.message);
    return EXIT_REFUSED;
  } finally {
    stop.dispose();
  }
}

// `ytm relink CHxx-NNN` (read-only: the wiring and the candidate drafts) and
// `ytm relink CHxx-NNN --draft <dir> [--run]` (plan, and with --run apply, the relink job).
import { formatProblems } from '../../lib/config.js';
import { loadContext } from '../engine/context.js';
import { EXIT_FAILED, EXIT_OK } from '../engine/exit.js';
import { createOutput } from '../engine/output.js';
import { runJobCommand } from '../engine/terminal.js';
import type { ParsedCommand } from '../grammar.js';
import { relinkJob } from './job.js';
import { relinkListing } from './listing.js';
import { listingText } from './text.js';

export async function relinkCommand(cmd: ParsedCommand): Promise<number> {
  const episode = cmd.input.episode as string;
  const draft = typeof cmd.input.draft === 'string' ? cmd.input.draft : null;
  if (draft !== null) {
    return runJobCommand(
      relinkJob,
      { episode, draft },
      { json: cmd.json, events: cmd.events, yes: cmd.yes, run: cmd.input.run === true },
    );
  }
  const out = createOutput(cmd);
  const loaded = loadContext();
  if (!loaded.ok) {
    out.result(EXIT_FAILED, { error: 'config', problems: loaded.problems }, formatProblems(loaded.problems));
    return EXIT_FAILED;
  }
  const listing = await relinkListing(loaded.ctx, episode);
  out.result(EXIT_OK, listing, listingText(listing));
  return EXIT_OK;
}

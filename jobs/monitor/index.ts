// `ytm monitor [--json]`: one snapshot of the alert conditions (see snapshot.ts). Read-only; the bot runs it as
// a child on its schedule and turns the snapshot into alerts. Exit 0 when a snapshot was taken (whatever it
// shows), 3 when it could not check (bad configuration).
import { formatProblems } from '../../lib/config.js';
import { stuckLines } from '../doctor/text.js';
import { loadContext } from '../engine/context.js';
import { createOutput } from '../engine/output.js';
import type { ParsedCommand } from '../grammar.js';
import { takeSnapshot } from './snapshot.js';

const EXIT_COULD_NOT_CHECK = 3;

export async function monitorCommand(cmd: ParsedCommand): Promise<number> {
  const out = createOutput(cmd);
  const loaded = loadContext();
  if (!loaded.ok) {
    out.result(EXIT_COULD_NOT_CHECK, { error: 'config', problems: loaded.problems }, formatProblems(loaded.problems));
    return EXIT_COULD_NOT_CHECK;
  }
  const s = await takeSnapshot(loaded.ctx.config);
  const lines = [
    `ytm monitor on ${s.host} (${s.durationMs} ms)`,
    `  share     ${s.share.state}${s.share.root ? ` ${s.share.root}` : ''}${s.share.reason ? ` — ${s.share.reason}` : ''}`,
    ...stuckLines(s.share.stuckProbes),
    ...s.findings.map((f) => `  ${f.code.padEnd(22)} ${f.message}`),
    ...(s.findings.length === 0 ? ['  no alert conditions'] : []),
    ...s.incomplete.map((i) => `  not checked: ${i}`),
  ];
  out.result(0, s, lines.join('\n'));
  return 0;
}

// `ytm outbox [list]` (read-only listing) and `ytm outbox flush [--run]` (the mutating job).
import { formatProblems } from '../../lib/config.js';
import { loadContext } from '../engine/context.js';
import { EXIT_FAILED, EXIT_OK } from '../engine/exit.js';
import { createOutput, formatBytes } from '../engine/output.js';
import { runJobCommand } from '../engine/terminal.js';
import type { ParsedCommand } from '../grammar.js';
import { probeShare } from '../store/target.js';
import { outboxFlushJob } from './flush.js';
import { listOutbox } from './list.js';
import { knownOutboxRoots } from './roots.js';

export async function outboxCommand(cmd: ParsedCommand): Promise<number> {
  const opts = { json: cmd.json, events: cmd.events, yes: cmd.yes, run: cmd.input.run === true };
  if (cmd.input.action === 'flush') return runJobCommand(outboxFlushJob, { action: 'flush' as const }, opts);
  const out = createOutput(cmd);
  const loaded = loadContext();
  if (!loaded.ok) {
    out.result(EXIT_FAILED, { error: 'config', problems: loaded.problems }, formatProblems(loaded.problems));
    return EXIT_FAILED;
  }
  const { ctx } = loaded;
  const probe = await probeShare(ctx);
  const roots = await knownOutboxRoots(ctx.config, ctx.paths.stateDir, probe.stubVaultLinkTarget ?? null);
  const files = await listOutbox(roots, ctx.paths.namespace);
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  const data = {
    share: { state: probe.state, reason: probe.reason },
    outboxRoots: roots,
    files,
    count: files.length,
    totalBytes,
  };
  const lines = [
    files.length === 0
      ? 'outbox: empty — nothing waits for the share'
      : `outbox: ${files.length} file(s), ${formatBytes(totalBytes)} wait for the share (now ${probe.state})`,
    ...files.map(
      (f) =>
        `  ${f.rel}  ${formatBytes(f.size)}  ${f.manifest ? `manifest ${f.manifest.file}${f.manifest.offlineReason ? ` (${f.manifest.offlineReason})` : ''}` : 'no manifest'}`,
    ),
  ];
  if (files.length > 0) {
    lines.push(
      probe.state === 'up'
        ? 'The share is up: `ytm outbox flush --run` copies them.'
        : 'Flush when the share is back: `ytm outbox flush`.',
    );
  }
  if (cmd.input.run === true) lines.push('(--run has no effect on the listing; use `ytm outbox flush --run`)');
  out.result(EXIT_OK, data, lines.join('\n'));
  return EXIT_OK;
}

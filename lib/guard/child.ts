/**
 * Guard child entry (`node dist/lib/guard/child.js`): reads one GuardOp as JSON on stdin, runs it, prints one line of
 * `{ ok, value | error }` JSON on stdout and exits. It may block forever on a hung share; the parent (`runGuarded`)
 * stops waiting on it.
 */
import { findTempFiles } from '../fs/stale-temp.js';
import { existsOp } from './ops/exists.js';
import { listDirOp } from './ops/list-dir.js';
import { networkMountsOp } from './ops/network-mounts.js';
import { probeShareOp } from './ops/probe-share.js';
import { readTextOp } from './ops/read-text.js';
import { scanAbsLinksOp } from './ops/scan-abs-links.js';
import { selftestOp } from './ops/selftest.js';
import { type GuardChildOutput, type GuardOp, guardOpProblem } from './ops.js';

async function runOp(op: GuardOp): Promise<unknown> {
  switch (op.op) {
    case 'probe-share': {
      const { op: _name, ...input } = op;
      return probeShareOp(input);
    }
    case 'exists':
      return existsOp(op.paths);
    case 'scan-abs-links':
      return scanAbsLinksOp(op.root, op.dirs, op.depth);
    case 'read-text':
      return readTextOp(op.paths);
    case 'list-dir':
      return listDirOp(op.path);
    case 'find-temps':
      return findTempFiles(op.root);
    case 'network-mounts':
      return networkMountsOp();
    case '_selftest':
      return selftestOp(op);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function emit(out: GuardChildOutput): void {
  // Exit only once the line is flushed (stdout to a pipe is asynchronous on macOS).
  process.stdout.write(`${JSON.stringify(out)}\n`, () => process.exit(out.ok ? 0 : 1));
}

async function main(): Promise<void> {
  let op: unknown;
  try {
    op = JSON.parse(await readStdin());
  } catch (err) {
    emit({ ok: false, error: `guard child: bad op JSON on stdin: ${(err as Error).message}` });
    return;
  }
  const problem = guardOpProblem(op);
  if (problem) {
    emit({ ok: false, error: `guard child: ${problem}` });
    return;
  }
  try {
    emit({ ok: true, value: await runOp(op as GuardOp) });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    emit({ ok: false, error: e?.message ? `${e.message}` : String(err) });
  }
}

await main();

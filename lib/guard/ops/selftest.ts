import { isSecretEnvName } from '../env.js';
import type { SelftestOp } from '../ops.js';

/** Test-only behaviours of a guard child. `env-keys` returns variable names (never values) that look secret. */
export async function selftestOp(op: SelftestOp): Promise<unknown> {
  switch (op.mode) {
    case 'throw':
      // An asynchronous throw escapes every try/catch: the child dies without printing a result.
      setTimeout(() => {
        throw new Error('selftest: uncaught crash');
      }, 0);
      return new Promise(() => {});
    case 'exit':
      return process.exit(7);
    case 'garbage':
      process.stdout.write('this is not JSON\n');
      return process.exit(0);
    case 'sleep':
      await new Promise((r) => setTimeout(r, op.ms ?? 60_000));
      return { slept: op.ms ?? 60_000 };
    case 'env-keys':
      return {
        secretLike: Object.keys(process.env).filter(isSecretEnvName),
        nodeOptions: 'NODE_OPTIONS' in process.env,
      };
    case 'echo':
      return op.value ?? null;
  }
}

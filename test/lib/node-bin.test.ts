// Children start from a stable node path (YTM_NODE_BIN, else `node` on PATH), not process.execPath: under
// Homebrew that is a versioned Cellar path `brew upgrade node` deletes. Apply children run under
// `caffeinate -i -w <pid>` on macOS (injected platform, fake caffeinate on PATH).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runYtmChild } from '../../jobs/engine/ytm-child.js';
import { runGuarded } from '../../lib/guard/run.js';
import { startJob } from '../../lib/job-runner.js';
import { nodeBin } from '../../lib/node-bin.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ytm-node-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `name` on PATH in its own folder that appends its arguments to `log`, then (optionally) runs real node. */
function fakeBin(name: string, log: string, thenNode: boolean): string {
  const binDir = mkdtempSync(path.join(dir, `${name}-`));
  const file = path.join(binDir, name);
  const exec = thenNode ? `exec ${JSON.stringify(process.execPath)} "$@"` : '';
  writeFileSync(file, `#!/bin/sh\necho "$@" >> ${JSON.stringify(log)}\n${exec}\n`);
  chmodSync(file, 0o755);
  return binDir;
}

const withPath = (binDir: string, extra: Record<string, string> = {}) => ({
  ...process.env,
  PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
  ...extra,
});

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

describe('stable node path', () => {
  it('YTM_NODE_BIN wins, then the first executable `node` on PATH (as named, not resolved), then execPath', () => {
    const notExec = path.join(dir, 'not-exec');
    mkdirSync(notExec);
    writeFileSync(path.join(notExec, 'node'), '');
    const onPath = fakeBin('node', path.join(dir, 'unused.log'), true);
    const env = { PATH: [notExec, 'relative/bin', onPath].join(path.delimiter) };
    expect(nodeBin({ ...env, YTM_NODE_BIN: '/opt/homebrew/bin/node' }, '/cellar/node/1/bin/node')).toBe(
      '/opt/homebrew/bin/node',
    );
    expect(nodeBin(env, '/cellar/node/1/bin/node')).toBe(path.join(onPath, 'node'));
    expect(nodeBin({ PATH: notExec }, '/cellar/node/1/bin/node')).toBe('/cellar/node/1/bin/node');
  });

  it('a terminal --run child and a guard child start from the node on PATH', async () => {
    const log = path.join(dir, 'node-calls.log');
    const bin = fakeBin('node', log, true);
    await runYtmChild(['--version'], {
      timeoutMs: 30_000,
      signal: new AbortController().signal,
      onProgress: () => {},
      env: withPath(bin),
    });
    expect(readFileSync(log, 'utf8')).toMatch(/dist\/jobs\/cli\.js --version/);
    const r = await runGuarded({ op: '_selftest', mode: 'echo', value: 7 }, { timeoutMs: 30_000, env: withPath(bin) });
    expect(r).toMatchObject({ ok: true, value: 7 });
    expect(readFileSync(log, 'utf8')).toMatch(/dist\/lib\/guard\/child\.js/);
  });
});

describe('keeping the Mac awake during an apply', () => {
  const job = (platform: NodeJS.Platform, bin: string) =>
    startJob({
      command: process.execPath,
      args: ['-e', 'setTimeout(() => {}, 300)'],
      env: withPath(bin),
      timeoutMs: 30_000,
      keepAwake: true,
      platform,
    });

  it('on macOS the child runs under caffeinate -i -w <its pid>', async () => {
    const log = path.join(dir, 'caffeinate-darwin.log');
    const bin = fakeBin('caffeinate', log, false);
    const running = job('darwin', bin);
    await running.done;
    await until('caffeinate to be started', () => existsSync(log));
    expect(readFileSync(log, 'utf8').trim()).toBe(`-i -w ${running.pid}`);
  });

  it('elsewhere no caffeinate is started', async () => {
    const log = path.join(dir, 'caffeinate-linux.log');
    const bin = fakeBin('caffeinate', log, false);
    const marker = path.join(dir, 'after.log');
    await job('linux', bin).done;
    // A second (darwin) job proves the fake would have been found; only its call is in its own log.
    await job('darwin', fakeBin('caffeinate', marker, false)).done;
    await until('the control caffeinate', () => existsSync(marker));
    expect(existsSync(log)).toBe(false);
  });
});

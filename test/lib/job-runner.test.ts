import { describe, expect, it } from 'vitest';
import { type JobEvent, jobEnv, startJob } from '../../lib/job-runner.js';

const node = process.execPath;

function script(code: string): string[] {
  return ['--input-type=module', '-e', code];
}

describe('job runner', () => {
  it('streams NDJSON events and keeps the last result', async () => {
    const events: JobEvent[] = [];
    const job = startJob({
      command: node,
      args: script(`
        console.log(JSON.stringify({ type: 'progress', stage: 'a' }));
        console.log('plain text line');
        console.log(JSON.stringify({ type: 'result', exitCode: 1, data: { n: 42 } }));
        process.exit(1);`),
      env: { PATH: process.env.PATH ?? '' },
      timeoutMs: 10_000,
      onEvent: (e) => events.push(e),
    });
    const out = await job.done;
    expect(out).toMatchObject({ status: 'exited', exitCode: 1, result: { n: 42 }, events: 3, abandoned: false });
    expect(events.map((e) => e.type)).toEqual(['progress', 'output', 'result']);
    expect(events[1]).toEqual({ type: 'output', line: 'plain text line' });
  });

  it('times out: SIGTERM first, SIGKILL for a child that ignores it', async () => {
    // A shell ignores SIGTERM from its first instruction (a node child needs longer to start than a loaded CI
    // box gives a 300 ms timeout, and would die of the SIGTERM before its handler exists).
    const job = startJob({
      command: 'sh',
      args: ['-c', `trap '' TERM; echo '{"type":"progress"}'; while :; do sleep 1; done`],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      timeoutMs: 1000,
      graceMs: 300,
    });
    const out = await job.done;
    expect(out.status).toBe('timeout');
    expect(out.signal).toBe('SIGKILL');
    expect(() => process.kill(job.pid as number, 0)).toThrow();
  });

  it('cancels a running job gracefully when it honours SIGTERM', async () => {
    const job = startJob({
      command: node,
      args: script('setInterval(() => {}, 1000);'),
      env: {},
      timeoutMs: 10_000,
      graceMs: 2000,
    });
    setTimeout(() => job.cancel(), 100);
    const out = await job.done;
    expect(out.status).toBe('cancelled');
    expect(out.signal).toBe('SIGTERM');
  });

  it('reports a command that cannot start', async () => {
    const out = await startJob({ command: '/nonexistent/ytm', args: [], env: {}, timeoutMs: 5000 }).done;
    expect(out.status).toBe('spawn_failed');
    expect(out.stderrTail).toMatch(/ENOENT/);
  });

  it('keeps only the tail of stderr', async () => {
    const out = await startJob({
      command: node,
      args: script(`process.stderr.write('x'.repeat(20000) + 'END');`),
      env: {},
      timeoutMs: 10_000,
    }).done;
    expect(out.stderrTail.length).toBe(8192);
    expect(out.stderrTail.endsWith('END')).toBe(true);
  });

  it('runs the child at the requested lower priority', async () => {
    const out = await startJob({
      command: node,
      args: script(
        `import os from 'node:os'; setTimeout(() => console.log(JSON.stringify({ type: 'result', data: { nice: os.getPriority() } })), 200);`,
      ),
      env: {},
      timeoutMs: 10_000,
      nice: 7,
    }).done;
    expect(out.result).toEqual({ nice: 7 });
  });

  it('gives job children no Slack credentials or tokens', () => {
    const env = jobEnv({
      PATH: '/bin',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      GITHUB_TOKEN: 'g',
      YTM_WORKSPACE_ROOT: '/w',
    });
    expect(env).toEqual({ PATH: '/bin', YTM_WORKSPACE_ROOT: '/w' });
  });
});

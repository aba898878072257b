// The scheduler runs each manifest job as a real child on its cron tick and records what happened in the state
// dir: a real `ytm status` child; a tick while the job still runs is skipped and recorded; a run past its
// timeout is killed and recorded as 'timeout'; `ytm status` shows last and next run, and whether the bot runs.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, botLockFile } from '../../lib/locks/instance.js';
import { loadScheduleState } from '../../lib/schedule/state.js';
import { waitGone } from '../e2e/harness.js';
import { runCli } from '../helpers/cli.js';
import { type MiniWorkspace, miniWorkspace } from '../jobs/support/workspace.js';
import { entry, SCRIPTED_CHILD, type SchedulerRig, schedulerRig } from './schedule-support/rig.js';

let w: MiniWorkspace;
let rig: SchedulerRig | undefined;
beforeEach(() => {
  w = miniWorkspace({ prefix: 'ytm-sched-' });
});
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  rmSync(w.dir, { recursive: true, force: true });
});

/** Child env for the scripted child: its script, hold file and pid directory under the workspace. */
function scripted(result: { exitCode: number; data: unknown }, hold: boolean) {
  const pidDir = path.join(w.dir, 'pids');
  mkdirSync(pidDir, { recursive: true });
  const script = path.join(w.dir, 'script.json');
  writeFileSync(script, JSON.stringify(result));
  const holdFile = path.join(w.dir, 'release');
  return {
    childEnv: { SCRIPT_FILE: script, PID_DIR: pidDir, ...(hold ? { HOLD_FILE: holdFile } : {}) },
    release: () => writeFileSync(holdFile, ''),
    pids: () => readdirSync(pidDir).map(Number),
  };
}

describe('scheduler', () => {
  it('runs a real `ytm status` child on its tick and records the last and the next run for `ytm status`', async () => {
    rig = schedulerRig(w.env, [entry({ name: 'status', command: ['status'] })]);
    await rig.scheduler.start();
    const r = await rig.waitFor((x) => x.outcome !== 'skipped-overlap');
    expect(r).toMatchObject({ entry: 'status', outcome: 'ok', exitCode: 0 });
    expect(r.json).toMatchObject({ share: { state: 'up' } });
    await rig.close();
    rig = undefined;

    const recorded = (await loadScheduleState(w.state)).entries.status;
    expect(recorded?.lastRun).toMatchObject({
      outcome: 'ok',
      exitCode: 0,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
    });
    expect(recorded?.schedule).toBe('every 1 s');
    expect(Date.parse(recorded?.nextRunAt ?? '')).toBeGreaterThan(Date.parse(r.startedAt));
    expect(recorded?.runningSince).toBeUndefined();

    // The bot is not running (no lock): status still shows the record, and says so.
    const down = await runCli(['status'], w.env);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toContain('bot not running');
    expect(down.stdout).toMatch(/status\s+every 1 s/);
    expect(down.stdout).toContain(`last ok ${r.finishedAt.replace(/\.\d+Z$/, 'Z')}`);
    expect(down.stdout).toContain('next: bot not running');

    // With the bot's lock held, the next run is shown.
    const lock = await acquireInstanceLock(botLockFile(w.state));
    try {
      const up = await runCli(['status', '--json'], w.env);
      const data = JSON.parse(up.stdout) as { schedule: { bot: { running: boolean; pid: number }; jobs: unknown[] } };
      expect(data.schedule.bot).toMatchObject({ running: true, pid: process.pid });
      expect(data.schedule.jobs).toEqual([expect.objectContaining({ name: 'status', nextRunAt: recorded?.nextRunAt })]);
      const text = await runCli(['status'], w.env);
      expect(text.stdout).toContain(`running: pid ${process.pid}`);
      expect(text.stdout).toContain(`next ${recorded?.nextRunAt?.replace(/\.\d+Z$/, 'Z')}`);
    } finally {
      await lock.release();
    }
  });

  it('skips and records a tick while the previous run still goes (concurrency 1), then records the run', async () => {
    const child = scripted({ exitCode: 0, data: { done: true } }, true);
    rig = schedulerRig(w.env, [entry({ name: 'hold', command: ['hold'] })], {
      cliPath: SCRIPTED_CHILD,
      childEnv: child.childEnv,
    });
    await rig.scheduler.start();
    const skipped = await rig.waitFor((x) => x.outcome === 'skipped-overlap');
    expect(skipped.message).toContain('concurrency 1');
    expect(child.pids()).toHaveLength(1); // the skipped tick started no second child
    expect((await loadScheduleState(w.state)).entries.hold?.runningSince).toBeDefined();
    child.release();
    const done = await rig.waitFor((x) => x.outcome === 'ok');
    expect(done.json).toEqual({ done: true });
    await rig.close();
    rig = undefined;
    const recorded = (await loadScheduleState(w.state)).entries.hold;
    expect(recorded?.skipped?.count).toBeGreaterThanOrEqual(1);
    expect(recorded?.lastRun?.outcome).toBe('ok');
    const text = await runCli(['status'], w.env);
    expect(text.stdout).toMatch(/\d+ tick\(s\) skipped while a run was still going/);
  });

  it('kills a run past its timeout and records it as timeout', async () => {
    const child = scripted({ exitCode: 0, data: {} }, true); // never released
    rig = schedulerRig(w.env, [entry({ name: 'stuck', command: ['stuck'], timeoutMs: 1_000 })], {
      cliPath: SCRIPTED_CHILD,
      childEnv: child.childEnv,
    });
    await rig.scheduler.start();
    const r = await rig.waitFor((x) => x.outcome === 'timeout');
    expect(r.exitCode).toBeNull();
    expect(r.message).toContain('timeoutSec');
    const [pid] = child.pids();
    expect(pid).toBeDefined();
    expect(await waitGone(pid as number)).toBe(true);
    await rig.close();
    rig = undefined;
    expect((await loadScheduleState(w.state)).entries.stuck?.lastRun).toMatchObject({
      outcome: 'timeout',
      exitCode: null,
    });
  });

  it('records a failed run with its exit code, and stops every cron task on stop()', async () => {
    const child = scripted({ exitCode: 1, data: { error: 'boom' } }, false);
    rig = schedulerRig(w.env, [entry({ name: 'fails', command: ['fails'] })], {
      cliPath: SCRIPTED_CHILD,
      childEnv: child.childEnv,
    });
    await rig.scheduler.start();
    const r = await rig.waitFor((x) => x.outcome === 'failed');
    expect(r.exitCode).toBe(1);
    await rig.close();
    const seen = rig.results.length;
    const children = child.pids().length;
    rig = undefined;
    // Stopped: no further tick starts a child. Two more seconds of ticks would have started two.
    await new Promise((res) => setTimeout(res, 2_200));
    expect(child.pids()).toHaveLength(children);
    expect(seen).toBeGreaterThanOrEqual(1);
    expect((await loadScheduleState(w.state)).entries.fails?.lastRun).toMatchObject({ outcome: 'failed', exitCode: 1 });
  });
});

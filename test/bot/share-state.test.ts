// The outbox monitor's share state: a change counts only after two consecutive checks agree (DESIGN's alert
// rule), so a wake from sleep (one `hung`, then `up`) is not a recovery, and a real one is announced once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  foldShareCheck,
  type LastShareState,
  loadLastShareState,
  saveLastShareState,
} from '../../bot/monitors/share-state.js';

/** Runs a sequence of checks through the fold and returns the index of each check that announced a recovery. */
function recoveries(states: string[], start?: LastShareState): number[] {
  let last = start;
  const out: number[] = [];
  states.forEach((s, i) => {
    const r = foldShareCheck(last, s, `t${i}`);
    if (r.recovered) out.push(i);
    last = r.next;
  });
  return out;
}

describe('share state for the recovery notice', () => {
  it('a wake (one hung check, then up) is not a recovery, however often it happens', () => {
    expect(recoveries(['up', 'hung', 'up', 'up', 'hung', 'up', 'stub', 'up', 'up'])).toEqual([]);
  });

  it('a real outage and return is announced once, on the second up check', () => {
    expect(recoveries(['up', 'stub', 'hung', 'up', 'up', 'up', 'up'])).toEqual([4]);
  });

  it('a bot that starts while the share is down announces the return after two up checks', () => {
    expect(recoveries(['stub', 'up', 'up', 'up'])).toEqual([2]);
  });

  it('the pending count survives a restart through the state file, and old records (no pending) still load', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ytm-share-state-'));
    try {
      expect(await loadLastShareState(dir)).toBeUndefined();
      await saveLastShareState(dir, { state: 'stub', at: 'a' });
      const old = await loadLastShareState(dir);
      expect(old).toEqual({ state: 'stub', at: 'a' });
      const first = foldShareCheck(old, 'up', 'b');
      expect(first.recovered).toBe(false);
      await saveLastShareState(dir, first.next);
      const reloaded = await loadLastShareState(dir);
      expect(reloaded?.pending).toEqual({ state: 'up', checks: 1 });
      expect(foldShareCheck(reloaded, 'up', 'c')).toEqual({ next: { state: 'up', at: 'c' }, recovered: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

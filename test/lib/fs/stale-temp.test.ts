import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempPathFor } from '../../../lib/fs/atomic.js';
import {
  isStaleTemp,
  parseTempName,
  STALE_TEMP_MAX_AGE_MS,
  STALE_TEMP_MIN_AGE_MS,
} from '../../../lib/fs/stale-temp.js';
import { pidAlive } from '../../../lib/locks/pid.js';
import { deadPid } from '../../helpers/pids.js';

describe('stale temp files', () => {
  it('reads the destination name and pid from our temp names, including names with __ in them', () => {
    expect(parseTempName(basename(tempPathFor('/x/CH02__043.wav')))).toEqual({
      target: 'CH02__043.wav',
      pid: process.pid,
    });
    expect(parseTempName('.tmp__state.json__123')).toEqual({ target: 'state.json', pid: 123 });
    expect(parseTempName('CH02-043.wav')).toBeNull();
    expect(parseTempName('.tmp__x__notapid__ab')).toBeNull();
  });

  it('a dead writer makes a temp stale once it sits idle; a live writer only after the max age', async () => {
    const now = Date.now();
    const dead = await deadPid();
    expect(pidAlive(dead)).toBe(false);
    expect(pidAlive(process.ppid)).toBe(true);
    expect(isStaleTemp(`.tmp__a__${dead}__ff`, now - STALE_TEMP_MIN_AGE_MS, now)).toBe(true);
    expect(isStaleTemp(`.tmp__a__${dead}__ff`, now - 1000, now)).toBe(false);
    expect(isStaleTemp(`.tmp__a__${process.ppid}__ff`, now - STALE_TEMP_MIN_AGE_MS, now)).toBe(false);
    expect(isStaleTemp(`.tmp__a__${process.ppid}__ff`, now - STALE_TEMP_MAX_AGE_MS, now)).toBe(true);
    expect(isStaleTemp('a.wav', 0, now)).toBe(false);
  });
});

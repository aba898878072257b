// Progress edits on a plan card: at most one per interval, the newest text wins, and close() waits for the
// edit in flight so the final card is never overwritten. A fake clock makes this exact (no timed assertions).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EditThrottle } from '../../bot/approvals/throttle.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('EditThrottle', () => {
  it('sends at most once per interval, always the newest text, and close() stops further sends', async () => {
    const sent: { at: number; text: string }[] = [];
    const throttle = new EditThrottle(async (text) => {
      sent.push({ at: Date.now(), text });
    }, 3_000);
    const start = Date.now();
    // 100 progress events, one every 100 ms (10 s).
    for (let i = 0; i < 100; i++) {
      throttle.push(`event ${i}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(sent.length).toBe(4); // at 0, 3, 6 and 9 s
    for (let i = 1; i < sent.length; i++) {
      expect((sent[i]?.at ?? 0) - (sent[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(3_000);
    }
    expect(sent[0]).toEqual({ at: start, text: 'event 0' });
    // Each send carries the newest text at its moment, never an older one.
    expect(sent.map((s) => s.text)).toEqual(['event 0', 'event 29', 'event 59', 'event 89']);
    throttle.push('after the last send');
    await throttle.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent.map((s) => s.text)).not.toContain('after the last send');
  });
});

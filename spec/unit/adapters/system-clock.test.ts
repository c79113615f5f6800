import { describe, expect, it, vi } from 'vitest';
import { createSystemClock } from '../../../src/adapters/system-clock.ts';

describe('createSystemClock', () => {
  const clock = createSystemClock();

  it('reads the wall clock and the local offset (local minus UTC, never -0)', () => {
    const before = Date.now();
    const now = clock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
    const offset = clock.localOffsetMinutes(now);
    expect(offset).toBe(0 - new Date(now).getTimezoneOffset());
    expect(Object.is(offset, -0)).toBe(false);
  });

  // Timers are faked here: what a sleep does is checked against the timer it sets, never against how
  // long the test took.
  it('sleeps exactly the time asked: not resolved a millisecond early, resolved at the mark', async () => {
    vi.useFakeTimers();
    try {
      let woke = false;
      const sleeping = clock.sleep(50).then(() => {
        woke = true;
      });
      await vi.advanceTimersByTimeAsync(49);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await sleeping;
      expect(woke).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('resolves early on abort (its timer cleared), at once when already aborted, and leaves no listener behind', async () => {
    vi.useFakeTimers();
    try {
      const controller = new AbortController();
      let woke = false;
      const sleeping = clock.sleep(10_000, controller.signal).then(() => {
        woke = true;
      });
      expect(vi.getTimerCount()).toBe(1);
      controller.abort();
      await sleeping;
      expect(woke).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
      await clock.sleep(10_000, controller.signal);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }

    // A completed sleep must remove the abort listener it added, or a long-lived signal collects one per sleep.
    const later = new AbortController();
    const added = vi.spyOn(later.signal, 'addEventListener');
    const removed = vi.spyOn(later.signal, 'removeEventListener');
    await clock.sleep(5, later.signal);
    expect(added).toHaveBeenCalledTimes(1);
    expect(removed).toHaveBeenCalledTimes(1);
    expect(removed.mock.calls[0]?.[1]).toBe(added.mock.calls[0]?.[1]);
  });
});

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

  it('sleeps about the time asked', async () => {
    const started = Date.now();
    await clock.sleep(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('resolves early on abort, at once when already aborted, and leaves no listener behind', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = clock.sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1000);
    await clock.sleep(10_000, controller.signal);

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

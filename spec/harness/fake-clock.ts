// A clock that moves only when told to, or when something "waits" on it (a poll sleep, a fake FFmpeg
// run). A stop can be scheduled at a fake instant, so signals arrive at reproducible points.

import type { Clock } from '../../src/ports.ts';

export interface FakeClock extends Clock {
  advance(ms: number): void;
  /** Aborts `controller` when the clock reaches `atMs` (during a sleep, or on advance). */
  abortAt(atMs: number, controller: AbortController): void;
  /** Forgets a scheduled stop that did not fire (the run ended first). */
  cancelAbort(): void;
}

/** 2026-03-04T05:06:07.000Z: any fixed instant works; this one has no zero digits to hide behind. */
export const FAKE_EPOCH_MS = Date.UTC(2026, 2, 4, 5, 6, 7);

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

export function createFakeClock(startMs = FAKE_EPOCH_MS): FakeClock {
  let now = startMs;
  let pending: { atMs: number; controller: AbortController } | null = null;

  /** Moves towards `target`, stopping at a scheduled stop on the way; true when one fired. */
  function moveTo(target: number): boolean {
    if (pending !== null && pending.atMs <= target) {
      now = Math.max(now, pending.atMs);
      const { controller } = pending;
      pending = null;
      controller.abort();
      return true;
    }
    now = Math.max(now, target);
    return false;
  }

  return {
    now: () => now,
    localOffsetMinutes: () => 0,
    // Nothing is pending in fake time: the stop a scenario schedules fires from the clock itself.
    yieldToEvents: () => Promise.resolve(),
    advance(ms) {
      moveTo(now + ms);
    },
    abortAt(atMs, controller) {
      pending = { atMs, controller };
      moveTo(now);
    },
    cancelAbort() {
      pending = null;
    },
    async sleep(ms, signal) {
      if (signal?.aborted === true) return;
      const target = now + ms;
      // A sleeper that the stop does not concern sleeps on to its target.
      // (read through a function: TypeScript cannot know that moveTo may abort the signal)
      if (moveTo(target) && !isAborted(signal)) now = target;
    },
  };
}

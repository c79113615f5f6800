// The real clock. The core never reads Date or timers directly, so tests can drive time themselves.
import type { Clock } from '../ports.ts';

/** Node fires any longer timer after 1 ms; a longer sleep is clamped to this instead of becoming a spin. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    // getTimezoneOffset is UTC minus local (UTC+2 → -120); the port wants local minus UTC. `0 -` rather
    // than unary minus so UTC gives 0, not -0 (which Object.is and toEqual tell apart).
    localOffsetMinutes: (epochMs) => 0 - new Date(epochMs).getTimezoneOffset(),
    sleep,
    // setImmediate, not a 0 ms timer: Node clamps that to 1 ms, which a scan of thousands of jobs would feel.
    yieldToEvents: () => new Promise<void>((resolve) => setImmediate(resolve)),
  };
}

/**
 * Resolves after `ms`, or as soon as `signal` aborts (without throwing: the caller checks the signal).
 * Whichever happens first removes the other, so a long-lived signal does not collect one listener per sleep.
 */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, clampDelay(ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function clampDelay(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

// Waiting on real processes and real folders, shared by the suites that run the CLI for real.
//
// No test asserts how long anything took: the machine is shared and loaded (load averages of 10 and more
// on 2 cores happen), so a bound on wall time fails a correct runner. Waits only have a deadline to turn a
// hang into a failure instead of a stuck suite, and that deadline is generous for the same reason.

/** After this long, a real process or a polled condition is taken to be hung (a correct run never gets near). */
export const HANG_MS = 120_000;

/** A test that runs real processes one after another: several HANG_MS waits fit, a hang still ends it. */
export const REAL_PROCESS_TEST_MS = 600_000;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `intervalMs` until it returns a non-null value; throws after `timeoutMs` (a hang). */
export async function waitFor<T>(what: string, check: () => T | null, { timeoutMs = HANG_MS, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Whether a process exists (signal 0 only asks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Turns of the event loop (setImmediate) until `done()` holds, for in-memory runs whose fakes wait on an
 * event; throws after 20,000 turns (a count, not a time) so a wait that can never end fails instead of hanging.
 */
export async function untilTurns(done: () => boolean, what: string): Promise<void> {
  for (let turn = 0; !done(); turn += 1) {
    if (turn === 20_000) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

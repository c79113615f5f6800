// Prompt pickup through runApp on memfs: a filesystem event on pending/ wakes continuous mode between
// polls, so a dropped JobSpec is filed while the fake clock has not moved at all (a poll an hour away);
// the watch covers pending/ only and is closed when the runner stops.

import { describe, expect, it } from 'vitest';
import { runApp } from '../../src/app.ts';
import type { Clock, DirectoryEvents } from '../../src/ports.ts';
import { createCapturingConsole } from '../harness/fake-hooks.ts';
import { memDeps } from '../support/mem-deps.ts';
import { untilTurns } from '../support/polling.ts';

/** A clock whose sleeps end only when their signal aborts: no poll ever comes round by itself. */
function stoppedClock(base: Clock): Clock & { sleeps: number } {
  const clock = {
    ...base,
    sleeps: 0,
    sleep: (_ms: number, signal?: AbortSignal): Promise<void> => {
      clock.sleeps += 1;
      return new Promise((resolve) => {
        if (signal === undefined || signal.aborted) return resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    },
  };
  return clock;
}

describe('prompt pickup', () => {
  it('a change in pending/ wakes the sleep between polls: the job is filed without the clock moving', async () => {
    const setup = memDeps({ dirs: ['/w/pending'] });
    const clock = stoppedClock(setup.deps.clock);
    const watched: string[] = [];
    let notify = (): void => undefined;
    let closed = 0;
    const events: DirectoryEvents = {
      watch(dir, onChange) {
        watched.push(dir);
        notify = onChange;
        return () => {
          closed += 1;
        };
      },
    };
    const stop = new AbortController();
    const console = createCapturingConsole();
    const startedAt = clock.now();
    const running = runApp(['/w', '--poll-seconds', '3600'], { ...setup.deps, clock, events, console }, stop.signal);

    await untilTurns(() => clock.sleeps === 1, 'the first sleep between polls');
    setup.vol.writeFileSync('/w/pending/a.json', '{"jobspec_version": "1.0"}');
    notify();
    await untilTurns(() => setup.vol.existsSync('/w/failed/a.result.json'), 'a.json filed');
    expect(clock.now()).toBe(startedAt);
    expect(clock.sleeps).toBe(2); // the woken scan, then the next sleep
    stop.abort('SIGTERM');

    expect(await running).toBe(0);
    expect(watched).toEqual(['/w/pending']);
    expect(closed).toBe(1);
  });

  it('--once watches nothing', async () => {
    const setup = memDeps({ dirs: ['/w/pending'] });
    const watched: string[] = [];
    const events: DirectoryEvents = { watch: (dir) => (watched.push(dir), () => undefined) };
    const exit = await runApp(['/w', '--once'], { ...setup.deps, events, console: createCapturingConsole() }, new AbortController().signal);
    expect(exit).toBe(0);
    expect(watched).toEqual([]);
  });
});

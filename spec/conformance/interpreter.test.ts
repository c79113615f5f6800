// The one scenario interpreter (src/conformance/interpreter.ts): a backend that records what it is asked
// to do shows the order of the calls, the placeholders resolved for it, and what the runs come back as.

import { describe, expect, it } from 'vitest';
import type { ScenarioBackend } from '../../src/conformance/interpreter.ts';
import { interpretScenario, sortedExits } from '../../src/conformance/interpreter.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';

function recordingBackend(calls: string[]): ScenarioBackend<number> {
  let runs = 0;
  const listed = (entries: readonly { path: string; made: { kind: string } }[]): string => entries.map((e) => `${e.path}:${e.made.kind}`).join(',');
  return {
    placeholders: { root: '/r', livePid: 7, host: 'h' },
    setUp: (entries) => void calls.push(`setUp ${listed(entries)}`),
    write: (entries) => void calls.push(`write ${listed(entries)}`),
    advanceClock: (seconds) => void calls.push(`advanceClock ${seconds}`),
    run: async (step, { folder, args }) => {
      calls.push(`run ${folder} ${args.join(' ')}${step.stop_after_seconds === undefined ? '' : ' (stop)'}`);
      return 10 + runs++;
    },
    runTogether: async (_runs, invocations) => {
      calls.push(`together ${invocations.map(({ folder, args }) => `[${folder} ${args.join(' ')}]`).join(' ')}`);
      runs += 1;
      // Ended in another order than they were given: the interpreter sorts.
      return invocations.map((_, i) => (i === 0 ? 'killed' : 3 - i)) as unknown as number[];
    },
    snapshot: () => {
      calls.push('snapshot');
      return { [`after-run-${runs}`]: 'x' };
    },
  };
}

describe('interpretScenario', () => {
  it('sets the tree up, hands every step to the backend in order, and snapshots after each run', async () => {
    const scenario = {
      description: 'x',
      tags: [],
      tree: { 'watch/pending/b.json': { job_id: '{HOST}' }, 'a/link': { $hardlink: 'z' }, out: { $dir: true } },
      steps: [
        { run: ['--once', '--settle-seconds', '{LIVE_PID}'] },
        { advance_clock_seconds: 5 },
        { write: { 'watch/pending/c.json': 'text' } },
        { run: [], folder: '{ROOT}/other', stop_after_seconds: 1 },
        { concurrently: [{ run: ['--once', '{HOST}'] }, { run: ['--once'], folder: '{ROOT}/w' }, { run: ['--once'] }] },
      ],
    } as unknown as Scenario; // metadata left out: the interpreter reads only the tree and the steps
    const calls: string[] = [];
    const runs = await interpretScenario(scenario, recordingBackend(calls));
    expect(calls).toEqual([
      'setUp out:directory,watch/pending/b.json:file,a/link:hardlink',
      'run /r/watch --once --settle-seconds 7',
      'snapshot',
      'advanceClock 5',
      'write watch/pending/c.json:file',
      'run /r/other  (stop)',
      'snapshot',
      'together [/r/watch --once h] [/r/w --once] [/r/watch --once]',
      'snapshot',
    ]);
    expect(runs).toEqual([
      { exit: 10, tree: { 'after-run-1': 'x' } },
      { exit: 11, tree: { 'after-run-2': 'x' } },
      { exit: [1, 2, 'killed'], tree: { 'after-run-3': 'x' } },
    ]);
  });

  it('sorts the exits of runners that ran together: codes ascending, then words', () => {
    expect(sortedExits([70, 'killed', 0, 10, 2, 'timeout', 0])).toEqual([0, 0, 2, 10, 70, 'killed', 'timeout']);
  });
});

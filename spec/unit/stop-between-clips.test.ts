// A stop that arrives after one clip has finished and before the next starts (SPEC.md R11.18): no further
// FFmpeg starts, the job is FAILED "runner interrupted", and its result holds only the clips that ran, the
// finished one with FFmpeg's own exit code (R9.6: it ended by itself).
// Scenario stops fire on the fake clock; here the clock is moved to the stop just as the first clip's
// output is made durable, the last thing that clip does.

import { describe, expect, it } from 'vitest';
import type { Fs } from '../../src/ports.ts';
import type { FakeClock } from '../harness/fake-clock.ts';
import { createFakeHost } from '../harness/fake-host.ts';
import { baseJobSpec, withFields } from '../generated/base.ts';
import { resultAt, runTree, scenarioPath } from '../support/run-tree.ts';

const STOP_AFTER_SECONDS = 600;


describe('a stop between two clips', () => {
  it('starts no further clip: FAILED "runner interrupted" with the finished clip alone in the result', async () => {
    const clocks: FakeClock[] = [];
    let stopped = false;
    const stopAfterFirstClip = (fs: Fs): Fs => ({
      ...fs,
      async fsyncDir(path) {
        await fs.fsyncDir(path);
        if (path !== scenarioPath('out') || stopped) return;
        stopped = true;
        clocks[0]?.advance(STOP_AFTER_SECONDS * 1000);
      },
    });
    const spec = withFields(baseJobSpec(), {
      sources: ['{ROOT}/media/first.mov', '{ROOT}/media/second.mov'],
      naming_template: '{source_name}_proxy',
    });
    const run = await runTree(
      {
        'watch/pending/job.json': spec,
        'media/first.mov': { $media: { exit: 0 } },
        'media/second.mov': { $media: { exit: 0 } },
        out: { $dir: true },
      },
      {
        steps: [{ run: ['--once'], stop_after_seconds: STOP_AFTER_SECONDS }],
        host: (clock) => {
          clocks.push(clock);
          return createFakeHost();
        },
        wrapFs: stopAfterFirstClip,
      },
    );

    expect(stopped).toBe(true);
    const result = resultAt(run, 'watch/failed/job.result.json');
    expect(result.final_status).toBe('FAILED');
    expect(result._metadata.failure_reason).toBe('runner interrupted');
    // The stop came after FFmpeg had ended by itself: its exit code stands (R9.6), it was not stopped.
    expect(result.clips.map((clip) => [clip.source_path, clip.status, clip.exit_code])).toEqual([['{ROOT}/media/first.mov', 'COMPLETED', 0]]);
    expect(Object.keys(run.tree).filter((path) => path.startsWith('out/'))).toEqual(['out/first_proxy.mp4']);
  });
});

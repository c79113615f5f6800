// The single-instance lock where goldens cannot see it (they leave the lock files out): scratch files of
// dead runners are removed by the next holder, a failed update leaves nothing that outlives the next
// start, and a dead runner's FFmpeg child is stopped with SIGKILL only once the grace period is over.

import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/conformance/scenario.ts';
import type { Host } from '../../src/ports.ts';
import { lockTempNameOf } from '../../src/runner/filing-names.ts';
import { layoutOf } from '../../src/runner/layout.ts';
import { acquireLock } from '../../src/runner/lock.ts';
import { ORPHAN_GRACE_MS } from '../../src/runner/lock-liveness.ts';
import { createFakeClock } from '../harness/fake-clock.ts';
import { createFakeHost, FAKE_HOST } from '../harness/fake-host.ts';
import { createFakeTranscoder } from '../harness/fake-transcoder.ts';
import { createMemFs } from '../harness/mem-fs.ts';
import { runScenarioInMemory } from '../harness/memory-run.ts';
import { createFakeHooks } from '../harness/fake-hooks.ts';
import { keptLog } from '../support/silent-log.ts';

const JOB = {
  jobspec_version: '2.1',
  job_id: 'lock0001',
  sources: ['{ROOT}/media/clip.mov'],
  output_directory: '{ROOT}/out',
  codec: 'h264',
  container: 'mp4',
  resolution: 'half',
  naming_template: '{source_name}_proxy',
  proxy_profile: 'proxy_h264_low',
};

function scenario(tree: Record<string, unknown>, steps: Scenario['steps']): Scenario {
  return {
    description: 'lock',
    requirements: ['R11.11'],
    tags: ['recovery'],
    tree: { 'watch/pending/job.json': JOB, 'media/clip.mov': { $media: { exit: 0 } }, out: { $dir: true }, ...tree },
    steps,
  };
}

const lockFiles = (tree: Record<string, unknown>): string[] => Object.keys(tree).filter((path) => path.startsWith('watch/.runner.lock'));

describe('lock scratch files', () => {
  it('the next holder removes the temps and asides of dead runners, and leaves a live one\'s', async () => {
    const golden = await runScenarioInMemory(
      scenario(
        {
          [`watch/${lockTempNameOf(999_999)}`]: '',
          'watch/.runner.lock.stale.999998': '{"pid": 999998}\n',
          [`watch/${lockTempNameOf(FAKE_HOST.livePid)}`]: '{"pid": 7}\n',
        },
        [{ run: ['--once'] }],
      ),
      { privateFiles: true },
    );
    expect(golden.runs[0]?.exit).toBe(0);
    expect(lockFiles(golden.runs[0]?.tree ?? {})).toEqual([`watch/${lockTempNameOf(FAKE_HOST.livePid)}`]);
  });

  it('ENOSPC while recording the FFmpeg child: exit 70 leaves an empty lock temp, which the next start removes', async () => {
    const temp = `watch/${lockTempNameOf(FAKE_HOST.pid)}`;
    const golden = await runScenarioInMemory(
      scenario({}, [
        // The first write of the temp takes the lock; the second records the FFmpeg child.
        { run: ['--once'], fail_fs_op: { op: `writeFileExclusive ${temp}`, at: 2, code: 'ENOSPC' } },
        { run: ['--once'] },
      ]),
      { privateFiles: true },
    );
    const [failed, next] = golden.runs;
    expect(failed?.exit).toBe(70);
    expect(lockFiles(failed?.tree ?? {})).toEqual([temp]);
    expect(failed?.tree[temp]).toBe('');
    expect(failed?.tree['watch/running/job.json']).toBeDefined();
    // Recovery files the interrupted job FAILED, which --once reports (R11.6).
    expect(next?.exit).toBe(1);
    expect(lockFiles(next?.tree ?? {})).toEqual([]);
    expect(Object.keys(next?.tree ?? {}).filter((path) => path.startsWith('watch/failed/'))).toEqual(['watch/failed/job.json', 'watch/failed/job.result.json']);
  });
});

describe('a dead runner\'s FFmpeg child', () => {
  const ORPHAN = 5151;

  /** A host where the stale lock's pid is dead and its recorded child is a live FFmpeg. */
  function hostWith(orphan: { diesOnSigterm: boolean }): { host: Host; signals: string[] } {
    const signals: string[] = [];
    let alive = true;
    const base = createFakeHost();
    const host: Host = {
      ...base,
      isAlive: (pid) => (pid === ORPHAN ? alive : base.isAlive(pid)),
      isFfmpeg: async (pid) => pid === ORPHAN && alive,
      kill: (pid, signal) => {
        if (pid !== ORPHAN) return;
        signals.push(signal);
        if (signal === 'SIGKILL' || orphan.diesOnSigterm) alive = false;
      },
    };
    return { host, signals };
  }

  async function takeOverFrom(host: Host) {
    const vol = new Volume();
    vol.mkdirSync('/w', { recursive: true });
    vol.writeFileSync('/w/.runner.lock', JSON.stringify({ pid: 999_999, host: FAKE_HOST.hostname, started_at: 'x', ffmpeg_pid: ORPHAN }));
    const fs = createMemFs(vol);
    const clock = createFakeClock();
    const startedMs = clock.now();
    const deps = {
      fs,
      clock,
      transcoder: createFakeTranscoder({ fs, clock, ffmpegPath: null, killRunner: (why) => { throw new Error(why); } }),
      host,
      hooks: createFakeHooks(),
    log: keptLog(),
      cwd: '/',
    };
    const attempt = await acquireLock(deps, layoutOf('/w'), 'now');
    return { attempt, waitedMs: clock.now() - startedMs };
  }

  it('one that stops on SIGTERM is terminated without waiting out the grace period', async () => {
    const { host, signals } = hostWith({ diesOnSigterm: true });
    const { attempt, waitedMs } = await takeOverFrom(host);
    expect(attempt.ok && attempt.orphans).toEqual([{ pid: ORPHAN, end: 'terminated' }]);
    expect(signals).toEqual(['SIGTERM']);
    expect(waitedMs).toBe(0);
  });

  it('one that ignores SIGTERM gets SIGKILL once the grace period is over, not before', async () => {
    const { host, signals } = hostWith({ diesOnSigterm: false });
    const { attempt, waitedMs } = await takeOverFrom(host);
    expect(attempt.ok && attempt.orphans).toEqual([{ pid: ORPHAN, end: 'killed' }]);
    expect(signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(waitedMs).toBe(ORPHAN_GRACE_MS);
  });
});

// `--max-workers N` through runApp on memfs, with an FFmpeg whose runs wait for what the test needs to see
// happen meanwhile, so concurrency is proved by events, never by time: two jobs encode at once (the first
// waits until the second has started), a later job that would write an earlier one's output fails before
// its FFmpeg while that FFmpeg still runs (whether it then succeeds or not), the lock names every worker's
// FFmpeg, and a stop interrupts every running job.

import { describe, expect, it } from 'vitest';
import { runApp } from '../../src/app.ts';
import type { TranscodeOutcome, TranscodeRequest, Transcoder } from '../../src/ports.ts';
import { createCapturingConsole } from '../harness/fake-hooks.ts';
import { memDeps } from '../support/mem-deps.ts';
import { untilTurns } from '../support/polling.ts';
import type { MemDeps } from '../support/mem-deps.ts';
import { jobSpecText } from '../support/jobspec-text.ts';

const spec = (jobId: string, source: string): string => jobSpecText({ job_id: jobId, sources: [source] });

interface Encoder extends Transcoder {
  /** The sources of the runs started so far, in order. */
  readonly started: string[];
  /** The most runs that were under way at one moment. */
  readonly peak: () => number;
}

/** An FFmpeg that writes its output, after `waitFor(source)` (if any) holds, and exits with `exitOf(source)`. */
function encoder(setup: MemDeps, options: { waitFor?: (source: string, request: TranscodeRequest) => () => boolean; exitOf?: (source: string) => number }): Encoder {
  const started: string[] = [];
  let active = 0;
  let peak = 0;
  let pid = 100;
  return {
    started,
    peak: () => peak,
    locate: async () => '/usr/bin/ffmpeg',
    async run(request): Promise<TranscodeOutcome> {
      const source = request.argv[request.argv.indexOf('-i') + 1]?.replace(/^file:/, '') ?? '';
      started.push(source);
      active += 1;
      peak = Math.max(peak, active);
      pid += 1;
      await request.onSpawn?.(pid);
      const condition = options.waitFor?.(source, request);
      if (condition !== undefined) await untilTurns(() => condition() || request.signal.aborted, 'what the fake FFmpeg waits for');
      active -= 1;
      if (request.signal.aborted) return { exitCode: 255, signal: null, timedOut: false, stderrTail: 'Exiting normally, received signal 15.\n' };
      const exitCode = options.exitOf?.(source) ?? 0;
      if (exitCode === 0) setup.vol.writeFileSync(request.argv.at(-1) ?? '', 'proxy bytes');
      return { exitCode, signal: null, timedOut: false, stderrTail: '' };
    },
  };
}

function folder(jobs: Record<string, string>): MemDeps {
  return memDeps({
    dirs: ['/w/pending', '/media', '/proxies'],
    files: { '/media/A.mov': 'a', '/media/B.mov': 'b', '/media/C.mov': 'c', ...Object.fromEntries(Object.entries(jobs).map(([name, text]) => [`/w/pending/${name}`, text])) },
  });
}

async function run(setup: MemDeps, transcoder: Transcoder, argv: string[], stop = new AbortController()) {
  const console = createCapturingConsole();
  const exit = await runApp(['/w', ...argv], { ...setup.deps, transcoder, console }, stop.signal);
  return { exit, console };
}

const resultOf = (setup: MemDeps, folderName: string, stem: string): { final_status: string; _metadata: { worker_id: number; failure_reason?: string } } =>
  JSON.parse(setup.files(`/w/${folderName}`)[`${stem}.result.json`] ?? 'null') as { final_status: string; _metadata: { worker_id: number; failure_reason?: string } };

describe('--max-workers', () => {
  it('runs two jobs at once: the first encode is still running when the second starts; each result names its worker', async () => {
    const setup = folder({ 'a.json': spec('joba0001', '/media/A.mov'), 'b.json': spec('jobb0001', '/media/B.mov') });
    const ffmpeg = encoder(setup, { waitFor: (source) => (source === '/media/A.mov' ? () => ffmpeg.started.includes('/media/B.mov') : () => true) });

    const { exit } = await run(setup, ffmpeg, ['--once', '--max-workers', '2']);

    expect(exit).toBe(0);
    expect(ffmpeg.peak()).toBe(2);
    expect(resultOf(setup, 'completed', 'a')).toMatchObject({ final_status: 'COMPLETED', _metadata: { worker_id: 1 } });
    expect(resultOf(setup, 'completed', 'b')).toMatchObject({ final_status: 'COMPLETED', _metadata: { worker_id: 2 } });
    expect(Object.keys(setup.files('/proxies')).sort()).toEqual(['A_proxy.mp4', 'B_proxy.mp4']);
  });

  it('with the default of one worker, a job starts only after the one before it ended', async () => {
    const setup = folder({ 'a.json': spec('joba0001', '/media/A.mov'), 'b.json': spec('jobb0001', '/media/B.mov') });
    const ffmpeg = encoder(setup, {});

    await run(setup, ffmpeg, ['--once']);

    expect(ffmpeg.peak()).toBe(1);
    expect(resultOf(setup, 'completed', 'b')._metadata.worker_id).toBe(1);
  });

  it.each([
    ['succeeds', 0, 'completed'],
    ['fails', 1, 'failed'],
  ] as const)('decides two jobs that would write one output in claim order while the first encode runs (and then %s)', async (_how, exitCode, firstFolder) => {
    const setup = folder({ 'a.json': spec('joba0001', '/media/A.mov'), 'b.json': spec('jobb0001', '/media/A.mov') });
    // A's FFmpeg ends only once b.json has been filed: b was decided while A's output did not exist yet.
    const ffmpeg = encoder(setup, { waitFor: () => () => setup.vol.existsSync('/w/failed/b.result.json'), exitOf: () => exitCode });

    const { exit } = await run(setup, ffmpeg, ['--once', '--max-workers', '2']);

    expect(exit).toBe(1);
    expect(ffmpeg.started).toEqual(['/media/A.mov']);
    expect(resultOf(setup, 'failed', 'b')).toMatchObject({
      final_status: 'PARTIAL',
      _metadata: { failure_reason: 'JobSpec validation failed: Output already exists: /proxies/A_proxy.mp4' },
    });
    expect(resultOf(setup, firstFolder, 'a')._metadata.worker_id).toBe(1);
  });

  it('records every worker’s FFmpeg in the lock while they run, and a stop interrupts every running job', async () => {
    const setup = folder({ 'a.json': spec('joba0001', '/media/A.mov'), 'b.json': spec('jobb0001', '/media/B.mov'), 'c.json': spec('jobc0001', '/media/C.mov') });
    const stop = new AbortController();
    let lockWhileBoth: unknown = null;
    const ffmpeg = encoder(setup, {
      waitFor: () => () => {
        if (ffmpeg.started.length === 2 && lockWhileBoth === null && setup.vol.existsSync('/w/.runner.lock')) {
          const record = JSON.parse(String(setup.vol.readFileSync('/w/.runner.lock'))) as { workers?: unknown[] };
          if (record.workers !== undefined) {
            lockWhileBoth = record;
            stop.abort('SIGTERM');
          }
        }
        return false;
      },
    });

    const { exit, console } = await run(setup, ffmpeg, ['--max-workers', '2', '--poll-seconds', '1'], stop);

    expect(exit).toBe(0);
    expect(lockWhileBoth).toMatchObject({ ffmpeg_pid: 101, activity: { job: 'a.json' }, workers: [{ worker: 2, ffmpeg_pid: 102, activity: { job: 'b.json' } }] });
    expect(ffmpeg.started).toEqual(['/media/A.mov', '/media/B.mov']);
    for (const stem of ['a', 'b']) expect(resultOf(setup, 'failed', stem)._metadata.failure_reason).toBe('runner interrupted');
    expect(Object.keys(setup.files('/w/pending'))).toEqual(['c.json']);
    expect(console.errLines.find((line) => line.includes('Received SIGTERM'))).toMatch(/the 2 running jobs a\.json, b\.json are interrupted/);
  });

  it('refuses a worker count that is not a whole number from 1 to 64', async () => {
    for (const bad of ['0', '65', '1.5', '-1', 'two']) {
      const setup = folder({});
      const { exit, console } = await run(setup, encoder(setup, {}), ['--once', `--max-workers=${bad}`]);
      expect(exit).toBe(2);
      expect(console.errLines[0]).toMatch(new RegExp(`--max-workers must be a whole number from 1 to 64, got '${bad.replace('.', '\\.')}'`));
    }
  });
});

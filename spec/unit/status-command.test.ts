// `status FOLDER` through runApp on memfs: counts, the lock holder (alive or stale), the running job with
// its clip and FFmpeg's progress from the lock record, waiting, stuck and ignored files, the latest
// results, and proof that it never takes the lock or changes the folder.

import { describe, expect, it } from 'vitest';
import { runApp } from '../../src/app.ts';
import type { StatusReport } from '../../src/commands/status.ts';
import { FAKE_EPOCH_MS } from '../harness/fake-clock.ts';
import { FAKE_HOST } from '../harness/fake-host.ts';
import { createCapturingConsole } from '../harness/fake-hooks.ts';
import { memDeps } from '../support/mem-deps.ts';

const READ_ONLY = new Set(['readdir', 'lstat', 'stat', 'openNoFollow', 'readFile']);
const W = '/srv/watch';
const iso = (ms: number): string => new Date(ms).toISOString();

const jobSpec = (id: string): string => JSON.stringify({ jobspec_version: '2.1', job_id: id, sources: ['/m/a.mov'], output_directory: '/o', codec: 'h264', container: 'mp4', resolution: 'half', naming_template: 'x' });
const result = (id: string, status: string, reason?: string): string =>
  JSON.stringify({ job_id: id, final_status: status, completed_at: '2026-03-04T05:00:00.000+00:00', _metadata: reason === undefined ? {} : { failure_reason: reason } });

function lock(pid: number, activity?: Record<string, unknown>): string {
  return JSON.stringify({ pid, host: FAKE_HOST.hostname, boot_id: null, start_time: null, started_at: '2026-03-04T04:00:00.000+00:00', ffmpeg_pid: 5000, ffmpeg_start_time: null, ...(activity === undefined ? {} : { activity }) });
}

async function status(files: Record<string, string>, json = true) {
  // Every folder a file sits in exists (.runners/, running/<id>/, .submitting/ too).
  const parents = Object.keys(files).map((path) => path.slice(0, path.lastIndexOf('/')));
  const setup = memDeps({ dirs: [...new Set([`${W}/pending`, `${W}/running`, `${W}/completed`, `${W}/failed`, ...parents])], files });
  const { deps, vol, calls, clock } = setup;
  // The pending files are older than the settle window, except where a test touches one.
  clock.advance(60_000);
  const console = createCapturingConsole();
  const before = JSON.stringify(vol.toJSON());
  const exit = await runApp(['status', W, ...(json ? ['--json'] : [])], { ...deps, console }, new AbortController().signal);
  return { exit, console, calls, unchanged: JSON.stringify(vol.toJSON()) === before, report: () => JSON.parse(console.outLines.join('\n')) as StatusReport };
}

describe('status', () => {
  it('shows counts, the live holder, the running job with its clip and progress, pending files and the latest results', async () => {
    const run = await status({
      [`${W}/.runner.lock`]: lock(FAKE_HOST.livePid, {
        job: 'big.json',
        job_id: 'big00001',
        job_started_at: iso(FAKE_EPOCH_MS),
        clip: 2,
        clips: 3,
        source: '/m/b.mov',
        clip_started_at: iso(FAKE_EPOCH_MS + 20_000),
        done_seconds: 30,
        total_seconds: 120,
        speed: 1.5,
        updated_at: iso(FAKE_EPOCH_MS + 50_000),
      }),
      [`${W}/running/big.json`]: jobSpec('big00001'),
      [`${W}/pending/a.json`]: jobSpec('a0000001'),
      [`${W}/pending/big.json`]: jobSpec('dup00001'),
      [`${W}/pending/notes.txt`]: 'hello',
      [`${W}/completed/old.json`]: jobSpec('old00001'),
      [`${W}/completed/old.result.json`]: result('old00001', 'COMPLETED'),
      [`${W}/failed/bad.json`]: jobSpec('bad00001'),
      [`${W}/failed/bad.result.json`]: result('bad00001', 'PARTIAL', 'JobSpec contract violation: Invalid codec'),
    });

    expect(run.exit).toBe(0);
    const report = run.report();
    expect(report.counts).toEqual({
      pending: { jobspecs: 2, results: 0 },
      running: { jobspecs: 1, results: 0 },
      completed: { jobspecs: 1, results: 1 },
      failed: { jobspecs: 1, results: 1 },
    });
    expect(report.lock).toEqual({ pid: FAKE_HOST.livePid, host: FAKE_HOST.hostname, started_at: '2026-03-04T04:00:00.000+00:00', state: 'alive', shared: false });
    expect(report.runners).toEqual([]);
    expect(report.submitting).toEqual([]);
    expect(report.running).toEqual([
      {
        name: 'big.json',
        runner: null,
        job_id: 'big00001',
        state: 'running',
        clip: 2,
        clips: 3,
        source: '/m/b.mov',
        job_started_at: iso(FAKE_EPOCH_MS),
        elapsed_seconds: 60,
        clip_elapsed_seconds: 40,
        done_seconds: 30,
        total_seconds: 120,
        percent: 25,
        speed: 1.5,
        progress_updated_at: iso(FAKE_EPOCH_MS + 50_000),
      },
    ]);
    expect(report.pending).toEqual([
      { name: 'a.json', state: 'ready', reason: null },
      { name: 'big.json', state: 'stuck', reason: 'running/big.json already exists: it stays in pending/ until that name is free' },
      { name: 'notes.txt', state: 'ignored', reason: expect.stringMatching(/^not a JobSpec name/) },
    ]);
    expect(report.recent.map((r) => [r.folder, r.name, r.status, r.reason])).toEqual(
      expect.arrayContaining([
        ['completed', 'old.result.json', 'COMPLETED', null],
        ['failed', 'bad.result.json', 'PARTIAL', 'JobSpec contract violation: Invalid codec'],
      ]),
    );
    expect(run.unchanged).toBe(true);
    expect(run.calls.filter((call) => !READ_ONLY.has(call.split(' ')[0] ?? ''))).toEqual([]);
  });

  it('shows each worker’s clip and progress with --max-workers (worker 2 onwards in the lock’s workers)', async () => {
    const activity = (job: string, clip: number, done: number): Record<string, unknown> => ({
      job,
      job_id: `${job.slice(0, 1)}0000001`,
      job_started_at: iso(FAKE_EPOCH_MS),
      clip,
      clips: 2,
      source: `/m/${job}.mov`,
      clip_started_at: iso(FAKE_EPOCH_MS),
      done_seconds: done,
      total_seconds: 100,
      speed: 1,
      updated_at: iso(FAKE_EPOCH_MS + 10_000),
    });
    const record = JSON.parse(lock(FAKE_HOST.livePid, activity('a.json', 1, 10))) as Record<string, unknown>;
    record.workers = [{ worker: 2, ffmpeg_pid: 5001, ffmpeg_start_time: null, activity: activity('b.json', 2, 40) }];
    const run = await status({ [`${W}/.runner.lock`]: JSON.stringify(record), [`${W}/running/a.json`]: jobSpec('a0000001'), [`${W}/running/b.json`]: jobSpec('b0000001') });

    expect(run.report().running.map((job) => [job.name, job.state, job.clip, job.done_seconds, job.percent])).toEqual([
      ['a.json', 'running', 1, 10, 10],
      ['b.json', 'running', 2, 40, 40],
    ]);
  });

  it('--shared: every runner’s lease and the jobs of its folder, a gone runner’s and a leaseless folder’s jobs interrupted; staged submissions', async () => {
    const lease = (pid: number, id: string, host: string, activity?: Record<string, unknown>): string =>
      JSON.stringify({ ...(JSON.parse(lock(pid, activity)) as Record<string, unknown>), host, lease: { id, beat: 7, seconds: 10 } });
    const live = `${FAKE_HOST.hostname}-${FAKE_HOST.livePid}-abc`;
    const gone = `${FAKE_HOST.hostname}-999999-abd`;
    const far = 'render2-1-abe';
    const encoding = { job: 'a.json', job_id: 'a0000001', job_started_at: iso(FAKE_EPOCH_MS), clip: 1, clips: 1, source: '/m/a.mov', clip_started_at: iso(FAKE_EPOCH_MS), done_seconds: 5, total_seconds: 10, speed: 2, updated_at: iso(FAKE_EPOCH_MS) };
    const run = await status(
      {
        [`${W}/.runner.lock`]: JSON.stringify({ ...(JSON.parse(lock(1)) as Record<string, unknown>), shared: true }),
        [`${W}/.runners/${live}.lease`]: lease(FAKE_HOST.livePid, live, FAKE_HOST.hostname, encoding),
        [`${W}/.runners/${gone}.lease`]: lease(999_999, gone, FAKE_HOST.hostname),
        [`${W}/.runners/${far}.lease`]: lease(1, far, 'render2'),
        [`${W}/.runners/.${live}.tmp`]: 'half-written',
        [`${W}/running/${live}/a.json`]: jobSpec('a0000001'),
        [`${W}/running/${gone}/b.json`]: jobSpec('b0000001'),
        [`${W}/running/${far}/c.json`]: jobSpec('c0000001'),
        [`${W}/running/ghost-3-0/d.json`]: jobSpec('d0000001'),
        [`${W}/.submitting/late.json`]: jobSpec('late0001'),
      },
      false,
    );
    const text = run.console.outLines.join('\n');
    expect(text).toContain('Runners (--shared): 3');
    expect(text).toContain(`  ${live}: pid ${FAKE_HOST.livePid} on ${FAKE_HOST.hostname}, started 2026-03-04T04:00:00.000+00:00, beat 7 (lease 10 s), alive`);
    expect(text).toContain(`  ${gone}: pid 999999 on ${FAKE_HOST.hostname}, started 2026-03-04T04:00:00.000+00:00, beat 7 (lease 10 s), GONE (the next shared runner takes its jobs over)`);
    expect(text).toContain(`  ${far}: pid 1 on render2, started 2026-03-04T04:00:00.000+00:00, beat 7 (lease 10 s), on another host (judged by its beat)`);
    expect(text).toContain(`Running: a.json on ${live} (job_id a0000001), clip 1 of 1, running for`);
    expect(text).toContain(`Stuck in running/${gone}/: b.json (job_id b0000001): no live runner; the next shared runner takes it over and files it as FAILED "runner interrupted"`);
    expect(text).toContain(`Running: c.json on ${far} (job_id c0000001)`);
    expect(text).toContain('Stuck in running/ghost-3-0/: d.json');
    expect(text).toContain('Submitting: .submitting/late.json, never linked into pending/ (a submit that stopped half-way: submit it again, or remove it)');
    expect(text).not.toContain('Runner: pid');
    expect(run.unchanged).toBe(true);
  });

  it('calls a dead holder’s lock stale and its job interrupted, and says so in text', async () => {
    const run = await status({ [`${W}/.runner.lock`]: lock(999_999), [`${W}/running/left.json`]: jobSpec('left0001') }, false);

    const text = run.console.outLines.join('\n');
    expect(text).toContain(`Runner: pid 999999 on ${FAKE_HOST.hostname}, started 2026-03-04T04:00:00.000+00:00, STALE (its process is gone; the next start takes over)`);
    expect(text).toContain('Stuck in running/: left.json (job_id left0001): no live runner; the next start files it as FAILED "runner interrupted"');
    expect(run.unchanged).toBe(true);
  });

  it('shows a file that is still being written as waiting', async () => {
    const setup = memDeps({ dirs: [`${W}/pending`], files: {} });
    setup.vol.writeFileSync(`${W}/pending/half.json`, '{"jobspec_version": ');
    const console = createCapturingConsole();
    const exit = await runApp(['status', W, '--json'], { ...setup.deps, console }, new AbortController().signal);

    expect(exit).toBe(0);
    const report = JSON.parse(console.outLines.join('\n')) as StatusReport;
    expect(report.pending).toEqual([{ name: 'half.json', state: 'waiting', reason: expect.stringMatching(/^not complete yet/) }]);
    expect(report.lock).toBeNull();
    expect(report.counts.running).toEqual({ jobspecs: null, results: null });
  });

  it('exits 2 for a folder that does not exist', async () => {
    const run = await status({});
    const missing = await runApp(['status', '/nowhere'], { ...memDeps().deps, console: run.console }, new AbortController().signal);
    expect(missing).toBe(2);
    expect(run.console.errLines.at(-1)).toMatch(/Watch folder does not exist: \/nowhere$/);
  });
});

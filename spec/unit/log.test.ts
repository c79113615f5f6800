// The runner's log for people and machines (log.ts, log-events.ts): every line has its UTC time and level,
// `--log-format json` writes the same events as JSON lines with the declared fields, progress lines come
// at most every --progress-seconds from FFmpeg's own reports, the stop says which job it interrupts, and
// the --on-filed program is told every filing without changing it. Through runApp on memfs and the fake clock.

import { describe, expect, it } from 'vitest';
import { createLog, oneLine, printable } from '../../src/log.ts';
import { LOG_EVENTS } from '../../src/log-events.ts';
import type { LogEventName } from '../../src/log-events.ts';
import type { HookOutcome } from '../../src/ports.ts';
import { baseJobSpec, withFields } from '../generated/base.ts';
import { FAKE_EPOCH_MS } from '../harness/fake-clock.ts';
import { createCapturingConsole, createFakeHooks } from '../harness/fake-hooks.ts';
import { runTree } from '../support/run-tree.ts';

const job = (id: string, clip: string): Record<string, unknown> => withFields(baseJobSpec(), { job_id: id, sources: [`{ROOT}/media/${clip}`] });

type JsonLine = Record<string, unknown> & { readonly event: LogEventName };

function jsonLines(printed: readonly { readonly line: string }[]): JsonLine[] {
  return printed.map(({ line }) => JSON.parse(line) as JsonLine);
}

describe('a console line', () => {
  it('starts with the UTC time in ISO-8601 and the level; info goes to stdout, warnings and errors to stderr', () => {
    const console = createCapturingConsole();
    const log = createLog(console, { now: () => FAKE_EPOCH_MS }, 'text');
    log.event('claim', 'Claimed a.json: moved to running/', { job: 'a.json' });
    log.event('stop', 'Received SIGTERM: stopping; no job is running', { signal: 'SIGTERM', job: null });
    log.event('disk-error', 'error: EIO', { code: 'EIO' });

    expect(console.outLines).toEqual(['2026-03-04T05:06:07.000Z INFO  Claimed a.json: moved to running/']);
    expect(console.errLines).toEqual(['2026-03-04T05:06:07.000Z WARN  Received SIGTERM: stopping; no job is running', '2026-03-04T05:06:07.000Z ERROR error: EIO']);
  });

  it('as JSON carries time, level, event, message and the fields, on stdout, one object per line', () => {
    const console = createCapturingConsole();
    const log = createLog(console, { now: () => FAKE_EPOCH_MS }, 'json');
    log.event('skipped', 'Skipped: x\u001b.json stays in pending/', { job: 'x\u001b.json\nsecond', reason: 'why' });

    expect(console.errLines).toEqual([]);
    expect(console.outLines).toHaveLength(1);
    expect(JSON.parse(console.outLines[0] ?? '')).toEqual({
      time: '2026-03-04T05:06:07.000Z',
      level: 'warn',
      event: 'skipped',
      message: 'Skipped: x\\u001b.json stays in pending/',
      job: 'x\u001b.json\nsecond',
      reason: 'why',
    });
  });

  it('prints a command answer as it is', () => {
    const console = createCapturingConsole();
    createLog(console, { now: () => 0 }, 'json').print('usage: a\n  b');
    expect(console.outLines).toEqual(['usage: a\n  b']);
  });

  it('escapes control characters and lone surrogates, and joins the lines of a text', () => {
    expect(printable('a\u0007b\udce9')).toBe('a\\u0007b\\udce9');
    expect(oneLine('failed with 1 error(s):\n  - Output directory does not exist')).toBe('failed with 1 error(s): - Output directory does not exist');
    expect(oneLine('one\r\ntwo\n\nthree  ', ' | ')).toBe('one | two | three');
  });
});

describe('the events of a run', () => {
  it('as JSON lines: each event declared, with exactly its declared fields', async () => {
    const run = await runTree(
      {
        'watch/pending/a.json': job('job0000a', 'a.mov'),
        'watch/pending/b.json': job('job0000b', 'b.mov'),
        'watch/running/left.json': job('job0000l', 'a.mov'),
        'media/a.mov': { $media: { duration_ms: 30_000, progress_reports: 3 } },
        'media/b.mov': { $media: { exit: 1, duration_ms: 0 } },
        out: { $dir: true },
      },
      { steps: [{ run: ['--once', '--log-format', 'json', '--progress-seconds', '10'] }] },
    );

    const lines = jsonLines(run.printed);
    expect(run.printed.every((p) => p.stream === 'out')).toBe(true);
    for (const line of lines) {
      const declared = LOG_EVENTS[line.event];
      expect(declared, line.event).toBeDefined();
      expect(line.level).toBe(declared.level);
      expect(Object.keys(line).sort()).toEqual(['event', 'level', 'message', 'time', ...declared.fields].sort());
      expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    expect(lines.map((l) => l.event)).toEqual([
      'start',
      'recovered',
      'claim',
      'clip-start',
      'progress',
      'progress',
      'progress',
      'clip-end',
      'filed',
      'claim',
      'clip-start',
      'clip-end',
      'filed',
      'scan',
    ]);
    expect(lines[1]).toMatchObject({ level: 'info', job: 'left.json', status: 'FAILED', reason: 'runner interrupted', jobspec: '/scenario/watch/failed/left.json', result: '/scenario/watch/failed/left.result.json' });
    const filed = lines.filter((l) => l.event === 'filed');
    expect(filed[1]).toMatchObject({ job: 'b.json', job_id: 'job0000b', status: 'FAILED', reason: 'FFmpeg exited with code 1', jobspec: '/scenario/watch/failed/b.json', result: '/scenario/watch/failed/b.result.json' });
    const progress = lines.filter((l) => l.event === 'progress');
    expect(progress.map((p) => [p.done_seconds, p.total_seconds, p.percent, p.speed, p.clip, p.clips])).toEqual([
      [10, 30, 33.3, 1, 1, 1],
      [20, 30, 66.7, 1, 1, 1],
      [30, 30, 100, 1, 1, 1],
    ]);
  });
});

describe('progress lines', () => {
  const tree = { 'watch/pending/p.json': job('job0000p', 'p.mov'), 'media/p.mov': { $media: { duration_ms: 60_000, progress_reports: 12 } }, out: { $dir: true } };

  it('come at most every --progress-seconds, from FFmpeg’s reports', async () => {
    const run = await runTree(tree, { steps: [{ run: ['--once', '--progress-seconds', '20'] }] });

    expect(run.lines.filter((l) => l.startsWith('Encoding'))).toEqual([
      'Encoding p.json clip 1/1: 0:00:20 of 0:01:00 (33.3%), 1x',
      'Encoding p.json clip 1/1: 0:00:40 of 0:01:00 (66.7%), 1x',
      'Encoding p.json clip 1/1: 0:01:00 of 0:01:00 (100%), 1x',
    ]);
  });

  it('never come with --progress-seconds 0', async () => {
    const run = await runTree(tree, { steps: [{ run: ['--once', '--progress-seconds', '0'] }] });

    expect(run.lines.filter((l) => l.startsWith('Encoding'))).toEqual([]);
    expect(run.lines).toContain('Clip 1/1 of p.json COMPLETED: 1024 bytes');
  });
});

describe('a stop', () => {
  it('says which job it interrupts, and the job is filed as interrupted', async () => {
    const run = await runTree(
      { 'watch/pending/s.json': job('job0000s', 's.mov'), 'media/s.mov': { $media: { duration_ms: 60_000 } }, out: { $dir: true } },
      { steps: [{ run: ['--poll-seconds', '1'], stop_after_seconds: 10 }] },
    );

    expect(run.lines).toContain(
      'Received a stop request: stopping; the running job s.json is interrupted (its FFmpeg is stopped and it is filed as FAILED "runner interrupted" unless its last clip already ended)',
    );
    expect(run.lines).toContain('FAILED: s.json -> failed/s.json (runner interrupted)');
  });

  it('says so when no job is running', async () => {
    const run = await runTree({ 'watch/pending': { $dir: true } }, { steps: [{ run: ['--poll-seconds', '1'], stop_after_seconds: 3 }] });

    expect(run.lines).toContain('Received a stop request: stopping; no job is running');
  });
});

describe('the --on-filed program', () => {
  it('runs once per filed job with the result path as its argument and the outcome in its environment', async () => {
    const hooks = createFakeHooks();
    const run = await runTree(
      { 'watch/pending/a.json': job('job0000a', 'a.mov'), 'watch/pending/b.json': job('job0000b', 'b.mov'), 'media/a.mov': { $media: {} }, 'media/b.mov': { $media: { exit: 1 } }, out: { $dir: true } },
      { hooks, steps: [{ run: ['--once', '--on-filed', '/usr/local/bin/notify', '--hook-timeout-seconds', '30'] }] },
    );

    expect(hooks.calls).toEqual([
      {
        program: '/usr/local/bin/notify',
        args: ['/scenario/watch/completed/a.result.json'],
        env: {
          RUNNER_STATUS: 'COMPLETED',
          RUNNER_JOB_ID: 'job0000a',
          RUNNER_JOBSPEC_PATH: '/scenario/watch/completed/a.json',
          RUNNER_RESULT_PATH: '/scenario/watch/completed/a.result.json',
          RUNNER_JOB_NAME: 'a.json',
        },
        timeoutMs: 30_000,
      },
      expect.objectContaining({ args: ['/scenario/watch/failed/b.result.json'], env: expect.objectContaining({ RUNNER_STATUS: 'FAILED', RUNNER_JOB_ID: 'job0000b' }) }),
    ]);
    expect(run.lines).toContain('Hook /usr/local/bin/notify for a.json exited with code 0');
    expect(run.exit).toBe(1);
  });

  it('runs for a job that startup recovery filed, too', async () => {
    const hooks = createFakeHooks();
    await runTree({ 'watch/running/left.json': job('job0000l', 'a.mov'), out: { $dir: true } }, { hooks, steps: [{ run: ['--once', '--on-filed', '/bin/notify'] }] });

    expect(hooks.calls.map((c) => [c.args, c.env.RUNNER_STATUS, c.env.RUNNER_JOB_ID, c.env.RUNNER_JOB_NAME])).toEqual([
      [['/scenario/watch/failed/left.result.json'], 'FAILED', 'job0000l', 'left.json'],
    ]);
  });

  it('failing, timing out or not starting changes neither the job nor the run, and is logged with its stderr', async () => {
    const answers: HookOutcome[] = [
      { exitCode: 3, signal: null, timedOut: false, stderrTail: 'curl: (7) refused\nretry later\n', startFailure: null },
      { exitCode: null, signal: 'SIGTERM', timedOut: true, stderrTail: '', startFailure: null },
      { exitCode: null, signal: null, timedOut: false, stderrTail: '', startFailure: 'spawn /nope ENOENT' },
    ];
    let call = 0;
    const hooks = createFakeHooks(() => answers[call++] ?? answers[0]!);
    const run = await runTree(
      {
        'watch/pending/a.json': job('job0000a', 'a.mov'),
        'watch/pending/b.json': job('job0000b', 'b.mov'),
        'watch/pending/c.json': job('job0000c', 'c.mov'),
        'media/a.mov': { $media: {} },
        'media/b.mov': { $media: {} },
        'media/c.mov': { $media: {} },
        out: { $dir: true },
      },
      { hooks, steps: [{ run: ['--once', '--on-filed', '/nope', '--hook-timeout-seconds', '5'] }] },
    );

    expect(run.exit).toBe(0);
    expect(Object.keys(run.tree).filter((p) => p.startsWith('watch/completed/')).sort()).toEqual([
      'watch/completed/a.json',
      'watch/completed/a.result.json',
      'watch/completed/b.json',
      'watch/completed/b.result.json',
      'watch/completed/c.json',
      'watch/completed/c.result.json',
    ]);
    expect(run.lines.filter((l) => l.startsWith('Hook '))).toEqual([
      'Hook /nope for a.json exited with code 3; stderr: curl: (7) refused | retry later',
      'Hook /nope for b.json was killed after 5 s',
      'Hook /nope for c.json could not be started: spawn /nope ENOENT',
    ]);
    expect(run.printed.filter((p) => p.line.includes(' Hook ')).every((p) => p.stream === 'err')).toBe(true);
  });
});

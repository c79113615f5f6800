// What an operator sees, through the CLI on a real folder with the stand-in ffmpeg: `validate --json` of a
// good and a bad JobSpec, `submit --json` of both and the run of the one submitted, two workers at once and
// their stop, a drop picked up by its filesystem event, `status --json` and the progress lines of an encode that is running, the stop
// naming the job it interrupts, the JSON log of a `--once` run, and an `--on-filed` program.

import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/commands/status.ts';
import type { SubmitReport } from '../../src/commands/submit.ts';
import type { ValidateReport } from '../../src/commands/validate.ts';
import { encodeMedia } from '../../src/conformance/media.ts';
import { LOG_EVENTS } from '../../src/log-events.ts';
import type { LogEventName } from '../../src/log-events.ts';
import { messageOf } from '../support/silent-log.ts';
import { isAlive, REAL_PROCESS_TEST_MS, waitFor } from '../support/polling.ts';
import type { Sandbox } from './stand-in.ts';
import { cli, cliSync, jobSpec, lineWith, makeSandbox, MEDIA } from './stand-in.ts';

let sandbox: Sandbox;
afterEach(() => sandbox.cleanup());

describe('the operator’s CLI', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('validate --json: a good JobSpec with its FFmpeg argv, a bad one with the runner’s reason; exit 1; nothing created', async () => {
    sandbox = makeSandbox();
    writeFileSync(join(sandbox.media, 'clip.mov'), MEDIA.ok);
    writeFileSync(join(sandbox.root, 'good.json'), jobSpec(sandbox, ['clip.mov'], { job_id: 'good0001' }));
    writeFileSync(join(sandbox.root, 'bad.json'), jobSpec(sandbox, ['clip.mov'], { codec: 'h246' }));

    const run = await cli(sandbox, ['validate', '--json', 'good.json', 'bad.json']);

    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout) as ValidateReport;
    expect(report.ffmpeg).toBe(join(sandbox.bin, 'ffmpeg'));
    expect(report.files.map((f) => [f.file, f.valid, f.would_file_as])).toEqual([
      ['good.json', true, null],
      ['bad.json', false, 'PARTIAL'],
    ]);
    expect(report.files[0]?.clips[0]?.ffmpeg_command).toEqual(expect.arrayContaining([join(sandbox.bin, 'ffmpeg'), '-c:v', 'prores_ks', `${join(sandbox.out, 'clip_proxy.mov')}.partial`]));
    expect(report.files[1]?.reason).toMatch(/^JobSpec contract violation: Invalid codec 'h246'/);
    expect(readFileSync(join(sandbox.root, 'good.json'), 'utf8')).toBe(jobSpec(sandbox, ['clip.mov'], { job_id: 'good0001' }));
    expect([readdirSync(sandbox.watch), readdirSync(sandbox.out)]).toEqual([[], []]);
  });

  it('submit --json on a real disk: the good JobSpec linked into pending/ with one link, the bad one refused, then run by --once', async () => {
    sandbox = makeSandbox();
    writeFileSync(join(sandbox.media, 'clip.mov'), MEDIA.ok);
    writeFileSync(join(sandbox.root, 'good.json'), jobSpec(sandbox, ['clip.mov'], { job_id: 'good0001' }));
    writeFileSync(join(sandbox.root, 'bad.json'), jobSpec(sandbox, ['clip.mov'], { codec: 'h246' }));
    mkdirSync(join(sandbox.watch, 'pending'));

    const run = await cli(sandbox, ['submit', '--json', 'good.json', 'bad.json', '--to', sandbox.watch]);

    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout) as SubmitReport;
    expect(report.files.map((f) => [f.file, f.submitted, f.pending_path])).toEqual([
      ['good.json', true, join(sandbox.watch, 'pending', 'good.json')],
      ['bad.json', false, null],
    ]);
    expect(report.files[1]?.reason).toMatch(/^JobSpec contract violation: Invalid codec 'h246'/);
    expect(readFileSync(join(sandbox.watch, 'pending', 'good.json'), 'utf8')).toBe(jobSpec(sandbox, ['clip.mov'], { job_id: 'good0001' }));
    expect(statSync(join(sandbox.watch, 'pending', 'good.json')).nlink).toBe(1);
    expect(readdirSync(join(sandbox.watch, '.submitting'))).toEqual([]);

    const once = await cli(sandbox, [sandbox.watch, '--once']);
    expect(once.exitCode).toBe(0);
    expect(readdirSync(join(sandbox.watch, 'completed')).sort()).toEqual(['good.json', 'good.result.json']);
  });

  it('--max-workers 2: two encodes at once, both in status; a stop interrupts both and no FFmpeg outlives the runner', async () => {
    sandbox = makeSandbox();
    mkdirSync(join(sandbox.watch, 'pending'));
    for (const name of ['one', 'two']) {
      writeFileSync(join(sandbox.media, `${name}.mov`), encodeMedia({ duration_ms: 600_000, progress_reports: 6000 }));
      writeFileSync(join(sandbox.watch, 'pending', `${name}.json`), jobSpec(sandbox, [`${name}.mov`], { job_id: `${name}0001` }));
    }
    const runner = cli(sandbox, [sandbox.watch, '--max-workers', '2', '--poll-seconds', '0.2', '--progress-seconds', '0.5']);

    const status = await waitFor('status to show both encodes with progress', () => {
      const report = JSON.parse(statusOf(sandbox, ['status', '--json', sandbox.watch])) as StatusReport;
      return report.running.length === 2 && report.running.every((job) => job.done_seconds !== null) ? report : null;
    });
    expect(status.running.map((job) => [job.name, job.state, job.clip])).toEqual([
      ['one.json', 'running', 1],
      ['two.json', 'running', 1],
    ]);
    const record = JSON.parse(readFileSync(join(sandbox.watch, '.runner.lock'), 'utf8')) as { ffmpeg_pid: number; workers: { worker: number; ffmpeg_pid: number }[] };
    const children = [record.ffmpeg_pid, ...record.workers.map((w) => w.ffmpeg_pid)];
    expect(children).toHaveLength(2);

    runner.kill('SIGTERM');
    const done = await runner;
    expect(done.exitCode).toBe(0);
    expect(done.stderr).toContain('the 2 running jobs one.json, two.json are interrupted');
    for (const name of ['one', 'two']) {
      const result = JSON.parse(readFileSync(join(sandbox.watch, 'failed', `${name}.result.json`), 'utf8')) as { _metadata: { failure_reason: string; worker_id: number } };
      expect(result._metadata.failure_reason).toBe('runner interrupted');
    }
    for (const pid of children) expect(isAlive(pid)).toBe(false);
  });

  it('prompt pickup on a real disk: a JobSpec renamed into pending/ is run although the next poll is weeks away', async () => {
    sandbox = makeSandbox();
    mkdirSync(join(sandbox.watch, 'pending'));
    writeFileSync(join(sandbox.media, 'clip.mov'), MEDIA.ok);
    const runner = cli(sandbox, [sandbox.watch, '--poll-seconds', '2147483']);
    await waitFor('the runner to start', () => (existsSync(join(sandbox.watch, '.runner.lock')) && existsSync(join(sandbox.watch, 'failed')) ? true : null));
    // The first scan may still be under way: an event then makes the loop scan again at once.
    writeFileSync(join(sandbox.root, 'drop.json'), jobSpec(sandbox, ['clip.mov'], { job_id: 'drop0001' }));
    renameSync(join(sandbox.root, 'drop.json'), join(sandbox.watch, 'pending', 'drop.json'));

    await waitFor('the dropped job to be filed', () => (existsSync(join(sandbox.watch, 'completed', 'drop.result.json')) ? true : null));
    runner.kill('SIGTERM');
    expect((await runner).exitCode).toBe(0);
  });

  it('a long encode: progress lines, status --json while it runs, and a stop that names the job it interrupts', async () => {
    sandbox = makeSandbox();
    // Ten minutes of media, FFmpeg reporting its progress every 100 ms.
    writeFileSync(join(sandbox.media, 'long.mov'), encodeMedia({ duration_ms: 600_000, progress_reports: 6000 }));
    mkdirSync(join(sandbox.watch, 'pending'));
    writeFileSync(join(sandbox.watch, 'pending', 'long.json'), jobSpec(sandbox, ['long.mov'], { job_id: 'long0001' }));
    const runner = cli(sandbox, [sandbox.watch, '--poll-seconds', '0.2', '--progress-seconds', '0.5']);

    const progress = await lineWith(runner, 'Encoding long.json');
    expect(messageOf(progress)).toMatch(/^Encoding long\.json clip 1\/1: 0:\d\d:\d\d of 0:10:00 \(\d+(\.\d)?%\), 1x$/);
    const status = await waitFor('status to show the progress', () => {
      const report = JSON.parse(statusOf(sandbox, ['status', '--json', sandbox.watch])) as StatusReport;
      return report.running[0]?.done_seconds !== null && report.running[0]?.done_seconds !== undefined ? report : null;
    });
    expect(status.lock).toMatchObject({ pid: runner.pid, state: 'alive' });
    expect(status.counts.running).toEqual({ jobspecs: 1, results: 0 });
    expect(status.running[0]).toMatchObject({ name: 'long.json', job_id: 'long0001', state: 'running', clip: 1, clips: 1, total_seconds: 600, speed: 1 });

    runner.kill('SIGTERM');
    const done = await runner;
    expect(done.exitCode).toBe(0);
    expect(done.stderr.split('\n').map(messageOf)).toContain(
      'Received SIGTERM: stopping; the running job long.json is interrupted (its FFmpeg is stopped and it is filed as FAILED "runner interrupted" unless its last clip already ended)',
    );
    expect(done.stdout.split('\n').map(messageOf)).toContain('FAILED: long.json -> failed/long.json (runner interrupted)');
    const after = JSON.parse(statusOf(sandbox, ['status', '--json', sandbox.watch])) as StatusReport;
    expect(after.lock).toBeNull();
    expect(after.recent[0]).toMatchObject({ name: 'long.result.json', folder: 'failed', status: 'FAILED', reason: 'runner interrupted' });
  });

  it('--log-format json: every line of a --once run is a declared event with its fields', async () => {
    sandbox = makeSandbox();
    writeFileSync(join(sandbox.media, 'clip.mov'), MEDIA.ok);
    mkdirSync(join(sandbox.watch, 'pending'));
    writeFileSync(join(sandbox.watch, 'pending', 'job.json'), jobSpec(sandbox, ['clip.mov'], { job_id: 'json0001' }));

    const run = await cli(sandbox, [sandbox.watch, '--once', '--log-format', 'json']);

    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n').map((line) => JSON.parse(line) as Record<string, unknown> & { event: LogEventName });
    expect(lines.map((l) => l.event)).toEqual(['start', 'claim', 'clip-start', 'clip-end', 'filed', 'scan']);
    for (const line of lines) expect(Object.keys(line).sort()).toEqual(['event', 'level', 'message', 'time', ...LOG_EVENTS[line.event].fields].sort());
    expect(lines[4]).toMatchObject({ level: 'info', job: 'job.json', job_id: 'json0001', status: 'COMPLETED', reason: null, jobspec: join(sandbox.watch, 'completed', 'job.json') });
  });

  it('--on-filed: the program gets the result path and the outcome, and its failure changes nothing', async () => {
    sandbox = makeSandbox();
    writeFileSync(join(sandbox.media, 'clip.mov'), MEDIA.ok);
    mkdirSync(join(sandbox.watch, 'pending'));
    writeFileSync(join(sandbox.watch, 'pending', 'job.json'), jobSpec(sandbox, ['clip.mov'], { job_id: 'hook0001' }));
    const hook = join(sandbox.root, 'on-filed.sh');
    const seen = join(sandbox.root, 'seen.txt');
    writeFileSync(hook, `#!/bin/sh\nprintf '%s|%s|%s|%s|%s\\n' "$1" "$RUNNER_STATUS" "$RUNNER_JOB_ID" "$RUNNER_JOBSPEC_PATH" "$RUNNER_RESULT_PATH" > '${seen}'\necho 'mam: not reachable' >&2\nexit 4\n`);
    chmodSync(hook, 0o755);

    const run = await cli(sandbox, [sandbox.watch, '--once', '--on-filed', hook]);

    expect(run.exitCode).toBe(0);
    const result = join(sandbox.watch, 'completed', 'job.result.json');
    expect(readFileSync(seen, 'utf8')).toBe(`${result}|COMPLETED|hook0001|${join(sandbox.watch, 'completed', 'job.json')}|${result}\n`);
    expect(run.stderr.split('\n').map(messageOf)).toContain(`Hook ${hook} for job.json exited with code 4; stderr: mam: not reachable`);
    expect(JSON.parse(readFileSync(result, 'utf8')) as Record<string, unknown>).toMatchObject({ final_status: 'COMPLETED' });
  });
});

/** `status` run to completion: its stdout. */
function statusOf(sandbox: Sandbox, args: string[]): string {
  const run = cliSync(sandbox, args);
  if (run.exitCode !== 0) throw new Error(`status exited ${run.exitCode}: ${run.stderr}`);
  return run.stdout;
}

// The CLI end to end on a real temporary folder, with the stand-in ffmpeg first on PATH: the same
// command an operator runs (`tsx src/cli.ts <folder> --once`), checked by exit code and by the tree.

import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_PROCESS_TEST_MS, waitFor } from '../support/polling.ts';
import type { Sandbox } from './stand-in.ts';
import { cli, jobSpec, lineWith, makeSandbox, MEDIA, OK_OUTPUT_BYTES } from './stand-in.ts';
import { fakeOutputBytes } from '../../src/conformance/media.ts';
import { messageOf } from '../support/silent-log.ts';

function readResult(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

let sandbox: Sandbox;
afterEach(() => sandbox.cleanup());

// Each test starts Node processes; a loaded CI machine needs more than the 5 s default.
describe('CLI on a real folder', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it('completes a valid job: proxy published, JobSpec and result in completed/, exit 0', async () => {
    sandbox = makeSandbox();
    writeFileSync(join(sandbox.media, 'clip.mov'), MEDIA.ok);
    mkdirSync(join(sandbox.watch, 'pending'));
    writeFileSync(join(sandbox.watch, 'pending', 'job.json'), jobSpec(sandbox, ['clip.mov']));

    const run = await cli(sandbox, [sandbox.watch, '--once']);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Scan complete: 1 completed, 0 failed, 0 partial, 0 waiting');
    expect(readdirSync(join(sandbox.watch, 'completed')).sort()).toEqual(['job.json', 'job.result.json']);
    expect(readdirSync(join(sandbox.watch, 'pending'))).toEqual([]);
    expect(readdirSync(join(sandbox.watch, 'running'))).toEqual([]);
    expect(readFileSync(join(sandbox.out, 'clip_proxy.mov'))).toEqual(Buffer.from(fakeOutputBytes(OK_OUTPUT_BYTES)));
    const result = readResult(join(sandbox.watch, 'completed', 'job.result.json'));
    expect(result.final_status).toBe('COMPLETED');
    expect(existsSync(join(sandbox.watch, '.runner.lock'))).toBe(false);
  });

  it('files an invalid JobSpec as PARTIAL in failed/ with the reason, exit 1', async () => {
    sandbox = makeSandbox();
    writeFileSync(join(sandbox.media, 'clip.mov'), MEDIA.ok);
    mkdirSync(join(sandbox.watch, 'pending'));
    writeFileSync(join(sandbox.watch, 'pending', 'bad.json'), jobSpec(sandbox, ['clip.mov'], { colour: 'red' }));

    const run = await cli(sandbox, [sandbox.watch, '--once']);

    expect(run.exitCode).toBe(1);
    const result = readResult(join(sandbox.watch, 'failed', 'bad.result.json'));
    expect(result.final_status).toBe('PARTIAL');
    expect((result._metadata as Record<string, unknown>).validation_error).toMatch(/^JobSpec contract violation: Unknown fields in JobSpec: \[colour\]\./);
    expect(readdirSync(sandbox.out)).toEqual([]);
  });

  it('fails a job whose FFmpeg run fails, keeping the exit code and stderr, exit 1', async () => {
    sandbox = makeSandbox();
    writeFileSync(join(sandbox.media, 'broken.mov'), MEDIA.fail);
    mkdirSync(join(sandbox.watch, 'pending'));
    writeFileSync(join(sandbox.watch, 'pending', 'job.json'), jobSpec(sandbox, ['broken.mov']));

    const run = await cli(sandbox, [sandbox.watch, '--once']);

    expect(run.exitCode).toBe(1);
    const result = readResult(join(sandbox.watch, 'failed', 'job.result.json'));
    const [clip] = result.clips as Record<string, unknown>[];
    expect(result.final_status).toBe('FAILED');
    expect(clip?.failure_reason).toBe('FFmpeg exited with code 1');
    expect(clip?.exit_code).toBe(1);
    expect(clip?.stderr_tail).toContain('stand-in: cannot decode');
  });

  it('recovers a JobSpec left in running/ as "runner interrupted"', async () => {
    sandbox = makeSandbox();
    mkdirSync(join(sandbox.watch, 'running'), { recursive: true });
    writeFileSync(join(sandbox.watch, 'running', 'stuck.json'), jobSpec(sandbox, ['clip.mov'], { job_id: 'stuck001' }));

    const run = await cli(sandbox, [sandbox.watch, '--once']);

    expect(run.exitCode).toBe(1); // the recovered job is FAILED, and --once reports it (R11.6)
    expect(run.stdout.split('\n').map(messageOf)).toContain('Recovered stuck.json: left in running/ by a runner that stopped: FAILED -> failed/stuck.json (runner interrupted)');
    expect(readdirSync(join(sandbox.watch, 'running'))).toEqual([]);
    const result = readResult(join(sandbox.watch, 'failed', 'stuck.result.json'));
    expect(result.job_id).toBe('stuck001');
    expect(result.final_status).toBe('FAILED');
    expect(result._recovery).toMatchObject({ reason: 'runner interrupted', original_path: join(sandbox.watch, 'running', 'stuck.json') });
  });

  it('refuses a second runner on a busy folder with exit 3 and leaves the first undisturbed', async () => {
    sandbox = makeSandbox();
    const first = cli(sandbox, [sandbox.watch, '--poll-seconds', '0.2']);
    await lineWith(first, 'Watch folder runner');
    const lock = readFileSync(join(sandbox.watch, '.runner.lock'), 'utf8');

    const second = await cli(sandbox, [sandbox.watch, '--once']);

    expect(second.exitCode).toBe(3);
    expect(messageOf(second.stderr.trim())).toBe(`error: Watch folder is in use by another runner (pid ${first.pid})`);
    expect(readFileSync(join(sandbox.watch, '.runner.lock'), 'utf8')).toBe(lock);
    first.kill('SIGTERM');
    expect((await first).exitCode).toBe(0);
    expect(existsSync(join(sandbox.watch, '.runner.lock'))).toBe(false);
  });

  it('on SIGTERM mid-clip stops FFmpeg, files the job as "runner interrupted" and exits 0', async () => {
    sandbox = makeSandbox();
    writeFileSync(join(sandbox.media, 'long.mov'), MEDIA.slow);
    mkdirSync(join(sandbox.watch, 'pending'));
    writeFileSync(join(sandbox.watch, 'pending', 'job.json'), jobSpec(sandbox, ['long.mov']));
    const runner = cli(sandbox, [sandbox.watch, '--poll-seconds', '0.2']);
    const lockPath = join(sandbox.watch, '.runner.lock');
    // However long a loaded machine takes to start the runner and its stand-in: only a hang ends the wait.
    const child = await waitFor('an ffmpeg pid in the lock', () => {
      const lock = existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : '{}';
      return (JSON.parse(lock) as { ffmpeg_pid?: number | null }).ffmpeg_pid ?? null;
    });

    runner.kill('SIGTERM');
    const done = await runner;

    expect(done.exitCode).toBe(0);
    expect(() => process.kill(child, 0)).toThrow();
    const result = readResult(join(sandbox.watch, 'failed', 'job.result.json'));
    expect(result.final_status).toBe('FAILED');
    expect((result.clips as Record<string, unknown>[])[0]?.failure_reason).toBe('runner interrupted');
  });

  it('on SIGTERM during a long scan of jobs that start no FFmpeg, stops after the job at hand', async () => {
    sandbox = makeSandbox();
    mkdirSync(join(sandbox.watch, 'pending'));
    // Thousands of invalid JobSpecs: every filesystem call answers at once and no FFmpeg is ever awaited.
    for (let i = 0; i < 5000; i += 1) writeFileSync(join(sandbox.watch, 'pending', `job-${String(i).padStart(5, '0')}.json`), '{"jobspec_version": "1.0"}\n');
    const runner = cli(sandbox, [sandbox.watch, '--once']);
    await waitFor('a first result', () => (existsSync(join(sandbox.watch, 'failed', 'job-00000.result.json')) ? true : null), { intervalMs: 5 });

    runner.kill('SIGTERM');
    const done = await runner;

    expect(done.stderr.split('\n').map(messageOf).some((line) => line.startsWith('Received SIGTERM: stopping'))).toBe(true);
    expect(readdirSync(join(sandbox.watch, 'pending')).length).toBeGreaterThan(0);
    expect(readdirSync(join(sandbox.watch, 'running'))).toEqual([]);
    expect(existsSync(join(sandbox.watch, '.runner.lock'))).toBe(false);
  });

  it('answers usage errors with one line on stderr and exit 2, and never creates a missing folder', async () => {
    sandbox = makeSandbox();
    const missing = join(sandbox.root, 'nope');
    const runs = await Promise.all([
      cli(sandbox, [missing, '--once']),
      cli(sandbox, [sandbox.watch, '--frobnicate']),
      cli(sandbox, [sandbox.watch, '--poll-seconds', '0']),
      cli(sandbox, []),
    ]);
    for (const run of runs) {
      expect(run.exitCode).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(missing)).toBe(false);
    const help = await cli(sandbox, ['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--clip-timeout-seconds');
  });

  it('exits 2 with one line when a state folder is a dangling symlink', async () => {
    sandbox = makeSandbox();
    symlinkSync(join(sandbox.root, 'nowhere'), join(sandbox.watch, 'pending'));
    const run = await cli(sandbox, [sandbox.watch, '--once']);
    expect(run.exitCode).toBe(2);
    expect(messageOf(run.stderr.trim())).toBe(`error: ${join(sandbox.watch, 'pending')} is not a directory (ENOENT)`);
  });

  it('uses the lock holder host and pid: a lock of a live process on this host means busy', async () => {
    sandbox = makeSandbox();
    writeFileSync(join(sandbox.watch, '.runner.lock'), JSON.stringify({ pid: process.pid, host: hostname(), started_at: 'x', ffmpeg_pid: null }));
    const run = await cli(sandbox, [sandbox.watch, '--once']);
    expect(run.exitCode).toBe(3);
  });
});

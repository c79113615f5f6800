// The runner's processes with the real FFmpeg (contract sections 9 and 11): the clip timeout, SIGTERM to
// the runner alone and to its whole process group, SIGKILL of the runner (the FFmpeg child survives it)
// and the orphan cleanup of the next start, and a second runner on a busy folder.
//
// Every test drives a slow H.264 encode of a long 720p source, so FFmpeg is always caught mid-clip; none of
// them waits for that encode to finish.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from './real-ffmpeg.ts';
import { messageOf } from '../support/silent-log.ts';
import {
  commOf, dropJob, ffmpegProcessesWriting, isRunning, killFfmpegIfRunning, lockedFfmpegPid, makeLongSource, makeWorkspace, readResult, runCli, sizeOf, sleep,
  startCli, waitFor, waitForEncoding,
} from './real-ffmpeg.ts';

const PROFILE = 'proxy_h264_low';
let ws: Workspace;
let slow: string;

beforeAll(async () => {
  ws = makeWorkspace();
  slow = join(ws.media, 'slow.mov');
  await makeLongSource(slow);
});
afterAll(() => ws.cleanup());

/** Processes a test started; whatever is still running after it is stopped, by pid only. */
const started: { runners: number[]; groups: number[]; ffmpeg: number[] } = { runners: [], groups: [], ffmpeg: [] };
afterEach(() => {
  for (const pid of started.ffmpeg) killFfmpegIfRunning(pid);
  for (const pgid of started.groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // the group is already gone
    }
  }
  for (const pid of started.runners) {
    if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  }
  started.runners.length = 0;
  started.groups.length = 0;
  started.ffmpeg.length = 0;
});

/** The pid of a started runner; never 0, which process.kill would read as "our own process group". */
function pidOf(runner: { readonly pid?: number | undefined }): number {
  if (runner.pid === undefined || runner.pid <= 0) throw new Error('the runner did not start');
  return runner.pid;
}

/** A watch folder with one slow job in pending/, and where its output and .partial go. */
function slowJob(): { watch: string; out: string; output: string; partial: string } {
  const watch = ws.watch();
  const out = ws.out();
  dropJob(watch, 'job.json', { sources: [slow], outputDirectory: out, profile: PROFILE });
  const output = join(out, 'slow_proxy.mp4');
  return { watch, out, output, partial: `${output}.partial` };
}

/** The FFmpeg pid, read from the lock while the runner works; recorded for cleanup. */
async function ffmpegOf(watch: string, partial: string): Promise<number> {
  const pid = await waitForEncoding(watch, partial);
  started.ffmpeg.push(pid);
  expect(commOf(pid)).toBe('ffmpeg');
  return pid;
}

function expectInterrupted(watch: string, partial: string): void {
  expect(readdirSync(join(watch, 'failed')).sort()).toEqual(['job.json', 'job.result.json']);
  expect(readdirSync(join(watch, 'running'))).toEqual([]);
  const result = readResult(join(watch, 'failed', 'job.result.json'));
  expect(result.final_status).toBe('FAILED');
  expect(result._metadata.failure_reason).toBe('runner interrupted');
  const [clip] = result.clips;
  expect(clip?.status).toBe('FAILED');
  expect(clip?.failure_reason).toBe('runner interrupted');
  expect(clip?.exit_code).toBe(-1);
  expect(clip?.output_exists).toBe(false);
  // FFmpeg finalised what it had: the truncated file is kept as the artifact, never published.
  expect(clip?.partial_output_path).toBe(partial);
  expect(sizeOf(partial)).toBeGreaterThan(0);
  expect(existsSync(partial.slice(0, -'.partial'.length))).toBe(false);
  expect(existsSync(join(watch, '.runner.lock'))).toBe(false);
}

describe('clip timeout', () => {
  it('kills an FFmpeg run that outlasts --clip-timeout-seconds and reports it as timed out', async () => {
    const { watch, partial } = slowJob();
    const runner = startCli([watch, '--once', '--clip-timeout-seconds', '2']);
    started.runners.push(pidOf(runner));
    // Not waiting for the encode to show (a loaded machine may need more than the 2 s for that): the
    // outcome alone says what happened, and /proc afterwards that no FFmpeg is left writing.
    const done = await runner;
    const left = ffmpegProcessesWriting(partial);
    started.ffmpeg.push(...left);

    expect(done.exitCode).toBe(1);
    expect(left).toEqual([]);
    const result = readResult(join(watch, 'failed', 'job.result.json'));
    expect(result.final_status).toBe('FAILED');
    const [clip] = result.clips;
    expect(clip?.failure_reason).toBe('FFmpeg timed out after 2 s');
    expect(clip?.exit_code).toBe(-1);
    // The encode never finished: the final name was never published, and whatever FFmpeg had written by
    // then is kept as the .partial the result names (a loaded machine may not have let it write anything
    // in 2 s; how far it got is not asserted, only that the result says what is on disk).
    expect(existsSync(partial.slice(0, -'.partial'.length))).toBe(false);
    expect(clip?.partial_output_path).toBe(existsSync(partial) ? partial : null);
  });
});

describe('stop signals mid-clip', () => {
  it('SIGTERM to the runner: FFmpeg is stopped, the job is failed "runner interrupted", the runner exits 0', async () => {
    const { watch, partial } = slowJob();
    const runner = startCli([watch, '--poll-seconds', '0.2']);
    started.runners.push(pidOf(runner));
    const ffmpeg = await ffmpegOf(watch, partial);

    runner.kill('SIGTERM');
    const done = await runner;

    expect(done.exitCode).toBe(0);
    expect(done.stderr).toContain('Received SIGTERM');
    expect(isRunning(ffmpeg)).toBe(false);
    expectInterrupted(watch, partial);
  });

  it('SIGTERM to the whole process group (Ctrl-C, systemd): FFmpeg gets it too, the reason is still "runner interrupted"', async () => {
    const { watch, partial } = slowJob();
    const runner = startCli([watch, '--once'], true);
    const pgid = pidOf(runner);
    started.groups.push(pgid);
    const ffmpeg = await ffmpegOf(watch, partial);
    // FFmpeg is in the runner's group, as it is under a terminal or a systemd unit.
    expect(readFileSync(`/proc/${ffmpeg}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]).toBe(String(pgid));

    process.kill(-pgid, 'SIGTERM');
    const done = await runner;

    // --once: the interrupted job counts as failed.
    expect(done.exitCode).toBe(1);
    expect(isRunning(ffmpeg)).toBe(false);
    expectInterrupted(watch, partial);
  });
});

describe('SIGKILL of the runner', () => {
  it('leaves FFmpeg running; the next start terminates the orphan and files the job as "runner interrupted"', async () => {
    const { watch, partial } = slowJob();
    const runner = startCli([watch, '--poll-seconds', '0.2'], true);
    const pgid = pidOf(runner);
    started.groups.push(pgid);
    const ffmpeg = await ffmpegOf(watch, partial);

    process.kill(pgid, 'SIGKILL'); // the runner only, not its group
    const killed = await runner;
    expect(killed.signal).toBe('SIGKILL');

    // The orphan survives its parent and keeps writing: what the next start must clean up.
    expect(isRunning(ffmpeg)).toBe(true);
    const size = sizeOf(partial) ?? 0;
    await waitFor('the orphan to keep writing', () => ((sizeOf(partial) ?? 0) > size ? true : null));
    expect(lockedFfmpegPid(watch)).toBe(ffmpeg);
    expect(readdirSync(join(watch, 'running'))).toEqual(['job.json']);

    const next = await runCli([watch, '--once']);

    expect(next.exitCode).toBe(1); // the interrupted job is filed FAILED, which --once reports (R11.6)
    expect(next.stdout).toContain(`Terminated orphaned FFmpeg process ${ffmpeg} of a previous runner`);
    expect(next.stdout).toMatch(/ INFO  Recovered \S+: left in running\/ by a runner that stopped: FAILED -> failed\//);
    expect(isRunning(ffmpeg)).toBe(false);
    const settledSize = sizeOf(partial);
    await sleep(300);
    expect(sizeOf(partial)).toBe(settledSize); // nobody writes it any more
    expect(readdirSync(join(watch, 'running'))).toEqual([]);
    expect(readdirSync(join(watch, 'failed')).sort()).toEqual(['job.json', 'job.result.json']);
    const result = readResult(join(watch, 'failed', 'job.result.json'));
    expect(result.final_status).toBe('FAILED');
    expect(result.clips).toEqual([]);
    expect(result._recovery).toMatchObject({ reason: 'runner interrupted', original_path: join(watch, 'running', 'job.json') });
    // Recovery deletes nothing: the orphan's .partial stays as evidence.
    expect(existsSync(partial)).toBe(true);
    expect(existsSync(join(watch, '.runner.lock'))).toBe(false);
  });
});

describe('single instance', () => {
  it('a second runner on a busy folder exits 3 and disturbs nothing', async () => {
    const { watch, partial } = slowJob();
    // A second job waits in pending/ behind the slow one: the second runner must not take it either.
    dropJob(watch, 'later.json', { sources: [slow], outputDirectory: ws.out(), profile: PROFILE });
    const laterBytes = readFileSync(join(watch, 'pending', 'later.json'));
    const first = startCli([watch, '--poll-seconds', '0.2']);
    started.runners.push(pidOf(first));
    const ffmpeg = await ffmpegOf(watch, partial);
    // The holder's record, not its progress: the first runner rewrites its lock's activity as FFmpeg goes on.
    const holder = (): unknown => {
      const { activity: _progress, ...record } = JSON.parse(readFileSync(join(watch, '.runner.lock'), 'utf8')) as Record<string, unknown>;
      return record;
    };
    const lock = holder();
    const size = sizeOf(partial) ?? 0;

    const second = await runCli([watch, '--once']);

    expect(second.exitCode).toBe(3);
    expect(messageOf(second.stderr.trim())).toBe(`error: Watch folder is in use by another runner (pid ${first.pid})`);
    expect(second.stdout).toBe('');
    expect(holder()).toEqual(lock);
    expect(readdirSync(join(watch, 'running'))).toEqual(['job.json']);
    expect(readdirSync(join(watch, 'pending'))).toEqual(['later.json']);
    expect(readFileSync(join(watch, 'pending', 'later.json'))).toEqual(laterBytes);
    expect(readdirSync(join(watch, 'failed'))).toEqual([]);
    expect(readdirSync(join(watch, 'completed'))).toEqual([]);
    expect(isRunning(ffmpeg)).toBe(true);
    await waitFor('the first runner to keep encoding', () => ((sizeOf(partial) ?? 0) > size ? true : null));

    first.kill('SIGTERM');
    expect((await first).exitCode).toBe(0);
    expectInterrupted(watch, partial);
    expect(readdirSync(join(watch, 'pending'))).toEqual(['later.json']);
  });
});

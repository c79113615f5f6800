// Whole jobs through the CLI with the real FFmpeg: multi-clip order, fail-fast on an undecodable source,
// an existing output refused before FFmpeg runs, and hostile sources (a FIFO, an HLS playlist named .mp4).

import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from './real-ffmpeg.ts';
import { dropJob, makeSource, makeWorkspace, probe, readResult, runCli, scrambleMediaData, streamOf } from './real-ffmpeg.ts';

const PROFILE = 'proxy_prores_proxy';
let ws: Workspace;
const media = (file: string): string => join(ws.media, file);

beforeAll(async () => {
  ws = makeWorkspace();
  const stereo = { codec: 'aac', rate: 48000 } as const;
  await Promise.all([
    makeSource(media('b_first.mov'), { generator: 'testsrc', size: '320x240', video: 'h264', audio: stereo }),
    makeSource(media('a_second.mp4'), { generator: 'testsrc2', size: '320x240', video: 'h264', audio: null }),
    makeSource(media('c_third.mkv'), { generator: 'testsrc', size: '321x241', video: 'ffv1', audio: stereo }),
  ]);
  scrambleMediaData(media('b_first.mov'), media('noise.mov'));
});
afterAll(() => ws.cleanup());

/**
 * Watches a FIFO for a reader while `during` runs: opening the write end without blocking succeeds only
 * when some process has the FIFO open for reading (or is blocked opening it). If that ever happens, the
 * write end is closed at once, which hands the reader EOF, so a regression fails the test instead of
 * hanging it.
 */
async function readersOf<T>(fifo: string, during: Promise<T>): Promise<{ value: T; opened: number }> {
  let opened = 0;
  const timer = setInterval(() => {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      opened += 1;
    } catch {
      // ENXIO: nobody is reading, as it should be
    }
  }, 5);
  try {
    return { value: await during, opened };
  } finally {
    clearInterval(timer);
  }
}

describe('multi-clip jobs', () => {
  it('runs every clip in sources order with {index} and {source_name}, and publishes every output', async () => {
    const watch = ws.watch();
    const out = ws.out();
    const sources = [media('b_first.mov'), media('a_second.mp4'), media('c_third.mkv')];
    dropJob(watch, 'multi.json', { sources, outputDirectory: out, profile: PROFILE, template: '{index}_{source_name}' });

    const run = await runCli([watch, '--once']);

    expect(run.exitCode).toBe(0);
    const result = readResult(join(watch, 'completed', 'multi.result.json'));
    expect(result.final_status).toBe('COMPLETED');
    expect([result.total_clips, result.completed_clips, result.failed_clips]).toEqual([3, 3, 0]);
    expect(result.source_files).toEqual(['b_first.mov', 'a_second.mp4', 'c_third.mkv']);
    expect(result.source_extensions).toEqual(['.mkv', '.mov', '.mp4']);
    const expected = ['000_b_first.mov', '001_a_second.mov', '002_c_third.mov'].map((name) => join(out, name));
    expect(result.clips.map((c) => c.source_path)).toEqual(sources);
    expect(result.clips.map((c) => c.resolved_output_path)).toEqual(expected);
    expect(readdirSync(out).sort()).toEqual(['000_b_first.mov', '001_a_second.mov', '002_c_third.mov']);
    // One at a time, in order: each clip starts after the previous one ended.
    for (const [i, clip] of result.clips.entries()) {
      expect(clip.status).toBe('COMPLETED');
      expect(clip.output_size_bytes).toBe(statSync(expected[i] ?? '').size);
      const previous = result.clips[i - 1];
      if (previous !== undefined) expect(Date.parse(clip.started_at)).toBeGreaterThanOrEqual(Date.parse(previous.completed_at));
    }
    // Each output really is its own source, transcoded (the odd-sized third keeps its size).
    const sizes = await Promise.all(expected.map(async (path) => streamOf(await probe(path), 'video')));
    expect(sizes.map((v) => [v?.codec_name, v?.width, v?.height])).toEqual([
      ['prores', 320, 240],
      ['prores', 320, 240],
      ['prores', 321, 241],
    ]);
  });

  it('fails fast when the second source is not decodable: first published, second left as .partial, third never started', async () => {
    const watch = ws.watch();
    const out = ws.out();
    const sources = [media('b_first.mov'), media('noise.mov'), media('c_third.mkv')];
    dropJob(watch, 'failfast.json', { sources, outputDirectory: out, profile: PROFILE, template: '{index}_{source_name}' });

    const run = await runCli([watch, '--once']);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Scan complete: 0 completed, 1 failed, 0 partial, 0 waiting');
    expect(readdirSync(join(watch, 'failed')).sort()).toEqual(['failfast.json', 'failfast.result.json']);
    const result = readResult(join(watch, 'failed', 'failfast.result.json'));
    expect(result.final_status).toBe('FAILED');
    expect([result.total_clips, result.completed_clips, result.failed_clips]).toEqual([2, 1, 1]);
    expect(result.source_files).toEqual(['b_first.mov', 'noise.mov']);
    const [first, second, third] = result.clips;
    expect(third).toBeUndefined();

    expect(first?.status).toBe('COMPLETED');
    expect(first?.resolved_output_path).toBe(join(out, '000_b_first.mov'));
    expect(streamOf(await probe(join(out, '000_b_first.mov')), 'video')?.codec_name).toBe('prores');

    const partial = join(out, '001_noise.mov.partial');
    expect(second?.status).toBe('FAILED');
    expect(second?.failure_reason).toBe('FFmpeg exited with code 1');
    expect(second?.exit_code).toBe(1);
    expect(second?.validation_stage).toBe('execution');
    expect(second?.stderr_tail).toContain('Invalid NAL unit size');
    expect(second?.stderr_tail).toContain('Conversion failed!');
    expect(second?.output_exists).toBe(false);
    expect(second?.output_size_bytes).toBeNull();
    expect(second?.partial_output_path).toBe(partial);
    expect(result._metadata.failure_reason).toBe('FFmpeg exited with code 1');

    // On disk: the first output, the second's .partial artifact, nothing at all for the third.
    expect(readdirSync(out).sort()).toEqual(['000_b_first.mov', '001_noise.mov.partial']);
  });
});

describe('existing outputs', () => {
  it('makes the job PARTIAL before FFmpeg runs and leaves the existing file byte for byte, inode for inode', async () => {
    const watch = ws.watch();
    const out = ws.out();
    // The second clip's output exists: if FFmpeg had run for the first clip, its output would be there.
    const taken = join(out, '001_a_second.mov');
    writeFileSync(taken, 'an editor already made this file\n');
    const before = statSync(taken);
    const bytes = readFileSync(taken);
    dropJob(watch, 'exists.json', { sources: [media('b_first.mov'), media('a_second.mp4')], outputDirectory: out, profile: PROFILE, template: '{index}_{source_name}' });

    const run = await runCli([watch, '--once']);

    expect(run.exitCode).toBe(1);
    const result = readResult(join(watch, 'failed', 'exists.result.json'));
    expect(result.final_status).toBe('PARTIAL');
    expect(result.clips).toEqual([]);
    expect(result._metadata.validation_error).toBe(`JobSpec validation failed: Output already exists: ${taken}`);
    expect(result._metadata.validation_stage).toBe('validation');
    expect(readdirSync(out)).toEqual(['001_a_second.mov']);
    const after = statSync(taken);
    expect(readFileSync(taken)).toEqual(bytes);
    expect([after.ino, after.dev, after.size, after.mtimeMs, after.nlink]).toEqual([before.ino, before.dev, before.size, before.mtimeMs, before.nlink]);
  });

  it('treats a leftover .partial of an earlier failure the same way', async () => {
    const watch = ws.watch();
    const out = ws.out();
    const leftover = join(out, 'b_first_proxy.mov.partial');
    writeFileSync(leftover, 'evidence of an earlier failure\n');
    const before = statSync(leftover);
    dropJob(watch, 'leftover.json', { sources: [media('b_first.mov')], outputDirectory: out, profile: PROFILE });

    const run = await runCli([watch, '--once']);

    expect(run.exitCode).toBe(1);
    const result = readResult(join(watch, 'failed', 'leftover.result.json'));
    expect(result.final_status).toBe('PARTIAL');
    expect(result._metadata.validation_error).toBe(`JobSpec validation failed: Output already exists: ${leftover}`);
    expect(readdirSync(out)).toEqual(['b_first_proxy.mov.partial']);
    expect(statSync(leftover).ino).toBe(before.ino);
    expect(readFileSync(leftover, 'utf8')).toBe('evidence of an earlier failure\n');
  });
});

describe('hostile sources', () => {
  // The issue asked for a FIFO source to be killed at --clip-timeout-seconds. Contract section 6 stops it
  // earlier: a source must be a regular file, so FFmpeg is never started on it (and cannot hang on it).
  // The timeout itself is shown with a slow regular source in processes.test.ts.
  it('refuses a FIFO named x.mov before FFmpeg starts, without ever opening it', async () => {
    const watch = ws.watch();
    const out = ws.out();
    const fifo = join(ws.root, 'fifo-src', 'x.mov');
    mkdirSync(join(ws.root, 'fifo-src'));
    execFileSync('mkfifo', [fifo]);
    dropJob(watch, 'fifo.json', { sources: [fifo], outputDirectory: out, profile: PROFILE });

    const { value: run, opened } = await readersOf(fifo, runCli([watch, '--once', '--clip-timeout-seconds', '2']));

    expect(opened).toBe(0);
    expect(run.exitCode).toBe(1);
    const result = readResult(join(watch, 'failed', 'fifo.result.json'));
    expect(result.final_status).toBe('PARTIAL');
    expect(result.clips).toEqual([]);
    expect(result._metadata.validation_error).toBe(`Missing source files: ${fifo} (not a file)`);
    expect(readdirSync(out)).toEqual([]);
  });

  it('an HLS playlist named .mp4 is refused by FFmpeg, and the file it points at is never opened', async () => {
    const watch = ws.watch();
    const out = ws.out();
    const dir = join(ws.root, 'hls');
    mkdirSync(dir);
    // Without -format_whitelist FFmpeg opens this as HLS and blocks opening the FIFO (checked by hand:
    // "[hls @ …] Opening 'file:…/secret.ts' for reading", then it hangs, deaf to SIGTERM).
    const secret = join(dir, 'secret.ts');
    execFileSync('mkfifo', [secret]);
    const playlist = join(dir, 'playlist.mp4');
    writeFileSync(playlist, `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n${secret}\n#EXT-X-ENDLIST\n`);
    dropJob(watch, 'hls.json', { sources: [playlist], outputDirectory: out, profile: PROFILE });

    const { value: run, opened } = await readersOf(secret, runCli([watch, '--once', '--clip-timeout-seconds', '20']));

    expect(opened).toBe(0);
    expect(run.exitCode).toBe(1);
    const result = readResult(join(watch, 'failed', 'hls.result.json'));
    expect(result.final_status).toBe('FAILED');
    const [clip] = result.clips;
    expect(clip?.ffmpeg_command).toContain(`file:${playlist}`);
    expect(clip?.failure_reason).toMatch(/^FFmpeg exited with code [1-9]\d*$/);
    expect(clip?.exit_code).toBeGreaterThan(0);
    expect(clip?.stderr_tail).toContain('Format not on whitelist');
    expect(clip?.stderr_tail).not.toContain('secret.ts');
    // Refused by FFmpeg itself: the failure is its exit code above, not "timed out", so the clip timeout never fired.
    expect(existsSync(join(out, 'playlist_proxy.mov'))).toBe(false);
  });
});

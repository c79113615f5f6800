// Real FFmpeg writing onto volumes without hard links (issue 9.1): the shuttle-drive case an operator
// meets, with output_directory on a real exFAT or FAT image. FFmpeg writes the `.partial` there, the runner
// publishes it by placeholder and rename, and ffprobe reads a complete ProRes file under the final name.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_PROCESS_TEST_MS } from '../support/polling.ts';
import { mountFatVolume } from '../realfs/fat-volume.ts';
import type { Workspace } from './real-ffmpeg.ts';
import { dropJob, makeSource, makeWorkspace, probe, readResult, runCli, streamOf } from './real-ffmpeg.ts';

let ws: Workspace;

beforeAll(async () => {
  ws = makeWorkspace();
  await makeSource(join(ws.media, 'clip.mov'), { generator: 'testsrc', size: '320x240', video: 'h264', audio: { codec: 'aac', rate: 48000 } });
});
afterAll(() => ws.cleanup());

describe('real FFmpeg onto volumes without hard links', { timeout: REAL_PROCESS_TEST_MS }, () => {
  it.for(['exfat', 'vfat'] as const)('%s: the ProRes proxy is encoded there, published by placeholder and rename, and probes complete', async (kind, ctx) => {
    const volume = mountFatVolume(kind);
    if (typeof volume === 'string') return ctx.skip(volume);
    ctx.onTestFinished(() => volume.unmount());
    const watch = ws.watch();
    dropJob(watch, 'job.json', { sources: [join(ws.media, 'clip.mov')], outputDirectory: volume.dir, profile: 'proxy_prores_proxy' });

    const run = await runCli([watch, '--once']);

    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const result = readResult(join(watch, 'completed', 'job.result.json'));
    const output = join(volume.dir, 'clip_proxy.mov');
    expect(result.clips[0]?.status).toBe('COMPLETED');
    expect(result.clips[0]?.output_size_bytes).toBe(statSync(output).size);
    expect(readdirSync(volume.dir)).toEqual(['clip_proxy.mov']);
    const probed = await probe(output);
    expect(streamOf(probed, 'video')?.codec_name).toBe('prores');
    expect(streamOf(probed, 'audio')?.codec_name).toBe('aac');
  });
});

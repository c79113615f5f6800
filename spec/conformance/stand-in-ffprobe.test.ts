// The stand-in `ffprobe` answers the forms other runners commonly use, with plausible values, for every media
// descriptor and for every file the stand-in `ffmpeg` writes (a runner may probe its output after the encode).

import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { MediaDescriptor } from '../../src/conformance/media.ts';
import { encodeMedia } from '../../src/conformance/media.ts';

const FFPROBE = join(import.meta.dirname, '../../src/conformance/stand-in/ffprobe.mjs');
const FFMPEG = join(import.meta.dirname, '../../src/conformance/stand-in/ffmpeg.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ffprobe-'));
const clip = join(dir, 'clip.mov');
writeFileSync(clip, encodeMedia({ exit: 0, duration_ms: 2500 }));
writeFileSync(join(dir, 'text.mov'), 'not media\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function probe(...args: string[]) {
  const run = await execa(process.execPath, [FFPROBE, ...args], { reject: false });
  return { code: run.exitCode, out: run.stdout, err: run.stderr };
}

describe('stand-in ffprobe', () => {
  it('csv=p=0 for the video stream', async () => {
    expect((await probe('-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,codec_type,width,height', '-of', 'csv=p=0', clip)).out).toBe('h264,video,1920,1080');
  });

  it('csv with a custom separator for WxH', async () => {
    expect((await probe('-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=s=x:p=0', clip)).out).toBe('1920x1080');
  });

  it('default=noprint_wrappers=1:nokey=1 for the duration, from duration_ms', async () => {
    expect((await probe('-v', 'error', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', clip)).out).toBe('2.500000');
  });

  it('json for the audio stream: stereo 48 kHz AAC', async () => {
    const run = await probe('-v', 'quiet', '-print_format', 'json', '-select_streams', 'a', '-show_entries', 'stream=codec_name,codec_type,channels,sample_rate', `file:${clip}`);
    expect(JSON.parse(run.out)).toEqual({ programs: [], streams: [{ codec_name: 'aac', codec_type: 'audio', sample_rate: '48000', channels: 2 }] });
  });

  it('json with -show_streams -show_format, and default with wrappers', async () => {
    const json = JSON.parse((await probe('-of', 'json', '-show_streams', '-show_format', '-i', clip)).out) as { streams: { codec_type: string }[]; format: { duration: string } };
    expect(json.streams.map((s) => s.codec_type)).toEqual(['video', 'audio']);
    expect(json.format.duration).toBe('2.500000');
    expect((await probe('-select_streams', '0', '-show_entries', 'stream=codec_name,width', clip)).out).toBe('[STREAM]\ncodec_name=h264\nwidth=1920\n[/STREAM]');
  });

  it('fails like ffprobe for a missing file and for a file that is not media', async () => {
    expect(await probe('-of', 'json', join(dir, 'missing.mov'))).toEqual({ code: 1, out: '', err: `${join(dir, 'missing.mov')}: No such file or directory` });
    expect(await probe('-of', 'json', join(dir, 'text.mov'))).toEqual({ code: 1, out: '', err: `${join(dir, 'text.mov')}: Invalid data found when processing input` });
  });

  it('reads every output the stand-in ffmpeg writes: whole, small, chunked, of a failed run, left at a runner kill', async () => {
    const outputs: Record<string, MediaDescriptor> = {
      default: {},
      small: { output_bytes: 7 },
      chunked: { output_bytes: 5000, chunks: 9, duration_ms: 90 },
      'failed with a file': { exit: 1, output_bytes: 300 },
      'killed runner': { kill_runner: true, output_bytes: 4096 },
    };
    for (const [name, descriptor] of Object.entries(outputs)) {
      const source = join(dir, `${name}.mov`);
      const output = join(dir, `${name}.mp4.partial`);
      writeFileSync(source, encodeMedia(descriptor));
      // kill_runner SIGKILLs its parent: give it a shell of its own.
      await execa('/bin/sh', ['-c', '"$@"; true', 'sh', process.execPath, FFMPEG, '-n', '-i', `file:${source}`, '-f', 'mp4', output], { reject: false });
      const run = await probe('-v', 'error', '-of', 'json', '-show_streams', '-show_format', output);
      expect(run.code, name).toBe(0);
      const json = JSON.parse(run.out) as { streams: { codec_type: string }[]; format: { duration: string; size: string } };
      expect(json.streams.map((s) => s.codec_type)).toEqual(['video', 'audio']);
      expect(json.format).toMatchObject({ duration: '1.000000', size: String(statSync(output).size) });
    }
  }, 30_000);

  it('cannot read an empty output or other binary data, as real ffprobe cannot', async () => {
    writeFileSync(join(dir, 'empty.mp4'), '');
    writeFileSync(join(dir, 'other.mp4'), Buffer.from([0xff, 0x1f, 0x3e, 0x5d, 0x00]));
    for (const name of ['empty.mp4', 'other.mp4']) {
      expect(await probe('-of', 'json', '-show_format', join(dir, name))).toEqual({ code: 1, out: '', err: `${join(dir, name)}: Invalid data found when processing input` });
    }
  });
});

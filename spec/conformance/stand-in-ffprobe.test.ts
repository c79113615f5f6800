// The stand-in `ffprobe` answers the forms other runners commonly use, with plausible values for a fake medium.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeMedia } from '../../src/conformance/media.ts';

const FFPROBE = join(import.meta.dirname, '../../src/conformance/stand-in/ffprobe.mjs');
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
});

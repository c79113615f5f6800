// FFmpeg's stderr → progress reports: the real shapes of its Duration and stats lines, in pieces of any
// size, with the \r FFmpeg ends its stats lines with, and what is no report (N/A, a negative start time,
// an endless line).

import { describe, expect, it } from 'vitest';
import { createProgressReader } from '../../../src/adapters/ffmpeg-progress.ts';
import type { EncodeProgress } from '../../../src/ports.ts';

/** The stderr of a real FFmpeg 5.1 run (-hide_banner), shortened. */
const STDERR = [
  "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/tmp/real/media/A001_C003.mov':\n",
  '  Duration: 00:01:00.00, start: 0.000000, bitrate: 13567 kb/s\n',
  '  Stream #0:0[0x1](und): Video: h264 (High 4:2:2) (avc1 / 0x31637661), yuv422p10le, 1920x1080, 13433 kb/s, 25 fps\n',
  'Output #0, mov, to \'/tmp/real/out/A001_C003_proxy.mov.partial\':\n',
  '    Stream #1:0(und): Video: prores (Proxy) (apco / 0x6f637061), yuv422p10le, 1920x1080, q=2-31, 200 kb/s, 25 fps\n',
  'frame=    0 fps=0.0 q=0.0 size=       0kB time=-577014:32:22.77 bitrate=  -0.0kbits/s speed=N/A    \r',
  'frame=   41 fps= 40 q=0.0 size=    2560kB time=00:00:01.60 bitrate=13106.5kbits/s speed=1.57x    \r',
  'frame=  128 fps= 42 q=0.0 size=    8192kB time=00:00:05.08 bitrate=13210.0kbits/s speed=1.66x    \r',
  'frame= 1500 fps= 41 q=-1.0 Lsize=  96000kB time=00:01:00.00 bitrate=13107.2kbits/s speed=1.64x    \n',
  'video:95000kB audio:900kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: 0.1%\n',
].join('');

function reportsOf(pieces: readonly string[]): EncodeProgress[] {
  const reports: EncodeProgress[] = [];
  const reader = createProgressReader((p) => reports.push(p));
  for (const piece of pieces) reader.push(piece);
  return reports;
}

const EXPECTED: EncodeProgress[] = [
  { doneSeconds: 1.6, totalSeconds: 60, speed: 1.57 },
  { doneSeconds: 5.08, totalSeconds: 60, speed: 1.66 },
  { doneSeconds: 60, totalSeconds: 60, speed: 1.64 },
];

describe('reading FFmpeg progress from its stderr', () => {
  it('reports each stats line with a time, with the input duration and the speed', () => {
    expect(reportsOf([STDERR])).toEqual(EXPECTED);
  });

  it('gives the same reports whatever pieces the stream arrives in', () => {
    const bytewise = [...STDERR];
    expect(reportsOf(bytewise)).toEqual(EXPECTED);
    const chunks = STDERR.match(/[\s\S]{1,7}/g) ?? [];
    expect(reportsOf(chunks)).toEqual(EXPECTED);
  });

  it('knows no total before FFmpeg says one, and no speed where it says N/A', () => {
    expect(reportsOf(['frame=  10 fps=0.0 q=0.0 size=0kB time=00:00:00.40 bitrate=N/A speed=N/A\r'])).toEqual([{ doneSeconds: 0.4, totalSeconds: null, speed: null }]);
  });

  it('takes the first Duration line for the total (a second input or output does not change it)', () => {
    const reports = reportsOf(['  Duration: 00:00:10.00, start: 0\n', '  Duration: 01:00:00.00, start: 0\n', 'time=00:00:05.00 speed=2x\r']);
    expect(reports).toEqual([{ doneSeconds: 5, totalSeconds: 10, speed: 2 }]);
  });

  it('drops a line that never ends instead of keeping it in memory', () => {
    const reports = reportsOf(['x'.repeat(10_000), 'time=00:00:01.00 speed=1x', '\r', 'time=00:00:02.00 speed=1x\r']);
    expect(reports).toEqual([{ doneSeconds: 2, totalSeconds: null, speed: 1 }]);
  });
});

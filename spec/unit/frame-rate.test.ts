// Frame rates as the runner gives them to FFmpeg (`-r`), and the rates it lets through to MXF. A deviation
// from contract section 7 (`-r <fps_explicit>`): `-r 29.97` means 2997/100 to FFmpeg, not NTSC, and MXF
// refuses it, so the NTSC family is written as exact N000/1001 fractions.

import { describe, it, expect } from 'vitest';
import { ffmpegRate, mxfRateProblem } from '../../src/engine/frame-rate.ts';

const MXF_RATE_LIST = '23.976, 24, 25, 29.97, 30, 47.952, 48, 50, 59.94, 60, 72, 75, 90, 96, 100, 119.88, 120';
const refusal = (fps: string): string => `MXF cannot carry ${fps} frames per second (MXF frame rates: ${MXF_RATE_LIST})`;

describe('ffmpegRate', () => {
  it.each([
    [23.976, '24000/1001'],
    [29.97, '30000/1001'],
    [47.952, '48000/1001'],
    [59.94, '60000/1001'],
    [119.88, '120000/1001'],
  ])('writes the NTSC rate %s as %s', (fps, rate) => {
    expect(ffmpegRate(fps)).toBe(rate);
  });

  it.each([
    [24000 / 1001, '24000/1001'],
    [30000 / 1001, '30000/1001'],
    [60000 / 1001, '60000/1001'],
  ])('writes the exact fraction %s as %s too', (fps, rate) => {
    expect(ffmpegRate(fps)).toBe(rate);
  });

  it.each([
    [1, '1'],
    [12, '12'],
    [15, '15'],
    [24, '24'],
    [25, '25'],
    [30, '30'],
    [48, '48'],
    [50, '50'],
    [60, '60'],
    [120, '120'],
    // 1000 is exactly 1001000/1001: only non-integers are taken for NTSC rates.
    [1000, '1000'],
    [2000, '2000'],
  ])('leaves the integer %s as %s', (fps, rate) => {
    expect(ffmpegRate(fps)).toBe(rate);
  });

  it.each([
    [12.5, '12.5'],
    [0.5, '0.5'],
    [29.9, '29.9'],
    [29.98, '29.98'],
    [23.97, '23.97'],
    [59.9, '59.9'],
    [24.5, '24.5'],
    // Rounds to N = 0, and 0/1001 is no rate: a tiny positive rate stays the number it is.
    [0.0001, '0.0001'],
    [0.0004, '0.0004'],
  ])('leaves %s, which is not NTSC, as the decimal %s', (fps, rate) => {
    expect(ffmpegRate(fps)).toBe(rate);
  });
});

describe('mxfRateProblem', () => {
  it.each([23.976, 24, 25, 29.97, 30, 47.952, 48, 50, 59.94, 60, 72, 75, 90, 96, 100, 119.88, 120])('MXF carries %s', (fps) => {
    expect(mxfRateProblem(fps)).toBeNull();
  });

  it.each([24000 / 1001, 30000 / 1001, 60000 / 1001])('MXF carries the exact NTSC fraction %s', (fps) => {
    expect(mxfRateProblem(fps)).toBeNull();
  });

  it.each([
    [12, '12'],
    [15, '15'],
    [29.9, '29.9'],
  ])('MXF cannot carry %s', (fps, shown) => {
    expect(mxfRateProblem(fps)).toBe(refusal(shown));
  });

  it('names the refused rate as written and lists every MXF rate, in one sentence', () => {
    expect(mxfRateProblem(12.5)).toBe(
      'MXF cannot carry 12.5 frames per second (MXF frame rates: 23.976, 24, 25, 29.97, 30, 47.952, 48, 50, 59.94, 60, 72, 75, 90, 96, 100, 119.88, 120)',
    );
  });
});

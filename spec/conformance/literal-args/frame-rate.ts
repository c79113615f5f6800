// Swapped in for src/engine/frame-rate.ts in the literal-arguments mutant (./build.ts): the original
// contract passed `-r` as the plain number (R7.17 gives NTSC rates as fractions), so this does too. The
// MXF rate check (R7.11) is not an FFmpeg argument but a normative check before FFmpeg starts, so the
// mutant keeps it: it is the literal argv on an otherwise correct runner.

import { formatNumber, mxfRateProblem } from '../../../src/engine/frame-rate.ts';

export { formatNumber, mxfRateProblem };

export function ffmpegRate(fps: number): string {
  return formatNumber(fps);
}

// Swapped in for src/engine/frame-rate.ts in the literal-arguments mutant (./build.ts): the original
// contract checked no frame rate against MXF (SPEC.md R7.11 does) and passed `-r` as the plain number
// (R7.17 gives NTSC rates as fractions), so neither does this.

import { formatNumber } from '../../../src/engine/frame-rate.ts';

export { formatNumber };

export function ffmpegRate(fps: number): string {
  return formatNumber(fps);
}

export function mxfRateProblem(_fps: number): string | null {
  return null;
}

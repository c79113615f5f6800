// Swapped in for src/engine/frame-rate.ts in the literal-arguments mutant (./build.ts): the written
// contract checks no frame rate against MXF and passes `-r` as the plain number, so neither does this.

import { formatNumber } from '../../../src/engine/frame-rate.ts';

export { formatNumber };

export function ffmpegRate(fps: number): string {
  return formatNumber(fps);
}

export function mxfRateProblem(_fps: number): string | null {
  return null;
}

// Frame rates as FFmpeg must be told them. `-r 29.97` means exactly 2997/100 to FFmpeg, which is not the
// NTSC rate (30000/1001) that the operator meant, and which MXF refuses outright; the NTSC family is
// therefore written as its exact fraction.

/** A number as FFmpeg and reason strings show it; `-0` keeps its sign so a bad value is quoted faithfully. */
export function formatNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** The rates FFmpeg's MXF muxer accepts (checked against Debian's FFmpeg 5.1), in frames per second. */
const MXF_RATES = [
  '24000/1001', '24', '25', '30000/1001', '30', '48000/1001', '48', '50', '60000/1001', '60', '72', '75', '90', '96', '100', '120000/1001', '120',
] as const;
const MXF_RATE_NAMES = '23.976, 24, 25, 29.97, 30, 47.952, 48, 50, 59.94, 60, 72, 75, 90, 96, 100, 119.88, 120';

/** `fps` as an FFmpeg rate: an exact `N000/1001` for the NTSC family (23.976, 29.97, 59.94, …), else the number. */
export function ffmpegRate(fps: number): string {
  const base = Math.round((fps * 1001) / 1000);
  if (!Number.isInteger(fps) && base > 0 && Math.abs(fps - (base * 1000) / 1001) < 0.0005) return `${base * 1000}/1001`;
  return formatNumber(fps);
}

/** Null when MXF can carry `fps`, else the sentence that says it cannot. */
export function mxfRateProblem(fps: number): string | null {
  const rate = ffmpegRate(fps);
  return (MXF_RATES as readonly string[]).includes(rate)
    ? null
    : `MXF cannot carry ${formatNumber(fps)} frames per second (MXF frame rates: ${MXF_RATE_NAMES})`;
}

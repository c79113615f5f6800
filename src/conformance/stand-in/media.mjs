// @ts-check
// The media descriptor language of src/conformance/media.ts, in plain JavaScript: the stand-in
// executables start with bare `node` (no tsx, so they start fast) and cannot import TypeScript.
// Keep this in step with media.ts; spec/conformance/stand-in.test.ts proves that the stand-in and the
// in-process fake transcoder act every descriptor out alike.

/**
 * @typedef {{ exit?: number, output_bytes?: number, no_output?: boolean, chunks?: number, stderr?: string, stderr_bytes?: number,
 *   duration_ms?: number, hang?: boolean, kill_runner?: boolean | 'after_output', signal?: string, comm?: string, wait_for_go?: boolean,
 *   progress_reports?: number }} MediaDescriptor
 * @typedef {{ writes: { atMs: number, bytes: number }[], stopBytes: number | null }} OutputPlan
 * @typedef {{ kind: 'exit', code: number, durationMs: number, output: OutputPlan }
 *   | { kind: 'signal', signal: string, durationMs: number, output: OutputPlan }
 *   | { kind: 'hang' }
 *   | { kind: 'kill-runner', durationMs: number, output: OutputPlan }} MediaBehaviour
 */

export const MEDIA_MAGIC = 'FAKEMEDIA ';

/** Each known field and whether a value is acceptable (MediaDescriptorSchema in media.ts). */
const FIELDS = {
  exit: (/** @type {unknown} */ v) => Number.isInteger(v) && Number(v) >= 0 && Number(v) <= 255,
  output_bytes: (/** @type {unknown} */ v) => Number.isInteger(v) && Number(v) >= 0,
  no_output: (/** @type {unknown} */ v) => typeof v === 'boolean',
  chunks: (/** @type {unknown} */ v) => Number.isInteger(v) && Number(v) >= 1,
  stderr: (/** @type {unknown} */ v) => typeof v === 'string',
  stderr_bytes: (/** @type {unknown} */ v) => Number.isInteger(v) && Number(v) >= 0,
  duration_ms: (/** @type {unknown} */ v) => Number.isInteger(v) && Number(v) >= 0,
  hang: (/** @type {unknown} */ v) => typeof v === 'boolean',
  kill_runner: (/** @type {unknown} */ v) => typeof v === 'boolean' || v === 'after_output',
  signal: (/** @type {unknown} */ v) => typeof v === 'string',
  comm: (/** @type {unknown} */ v) => typeof v === 'string' && v.length >= 1 && v.length <= 15,
  wait_for_go: (/** @type {unknown} */ v) => typeof v === 'boolean',
  progress_reports: (/** @type {unknown} */ v) => Number.isInteger(v) && Number(v) >= 1,
};

/**
 * The descriptor in a media file's text, or null when the file is not a (valid) fake medium.
 * @param {string} text
 * @returns {MediaDescriptor | null}
 */
export function decodeMedia(text) {
  if (!text.startsWith(MEDIA_MAGIC)) return null;
  let value;
  try {
    value = JSON.parse(text.slice(MEDIA_MAGIC.length));
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  for (const [key, field] of Object.entries(value)) {
    const check = /** @type {Record<string, (v: unknown) => boolean>} */ (FIELDS)[key];
    if (check === undefined || !check(field)) return null;
  }
  return /** @type {MediaDescriptor} */ (value);
}

/**
 * The deterministic bytes a fake FFmpeg writes: not valid UTF-8, so snapshots show them as binary.
 * Byte i is 0xff when i is a multiple of 4, else (i * 31) mod 256.
 * @param {number} length
 */
export function fakeOutputBytes(length) {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) bytes[i] = i % 4 === 0 ? 0xff : (i * 31) % 256;
  return bytes;
}

/**
 * Whether `bytes` are what the stand-in writes (fakeOutputBytes of their length): a whole output or the
 * truncated one a stop leaves. An empty file is not: real ffprobe cannot read one either.
 * @param {Uint8Array} bytes
 */
export function isFakeOutput(bytes) {
  if (bytes.length === 0) return false;
  const expected = fakeOutputBytes(bytes.length);
  return bytes.every((byte, i) => byte === expected[i]);
}

/**
 * stderr text for a descriptor: its `stderr`, then `stderr_bytes` of filler lines.
 * @param {MediaDescriptor} descriptor
 */
export function fakeStderr(descriptor) {
  const filler = descriptor.stderr_bytes ?? 0;
  const line = 'frame=    1 fps=0.0 q=0.0 size=       0kB time=00:00:00.00 bitrate=N/A speed=   0x\n';
  const duration = descriptor.progress_reports === undefined ? '' : `  Duration: ${mediaTime(descriptor.duration_ms ?? 1000)}, start: 0.000000, bitrate: N/A\n`;
  return (descriptor.stderr ?? '') + line.repeat(Math.ceil(filler / line.length)).slice(0, filler) + duration;
}

/**
 * Milliseconds as FFmpeg writes a media time: HH:MM:SS.cc.
 * @param {number} ms
 */
function mediaTime(ms) {
  const cs = Math.floor(ms / 10);
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${two(Math.floor(cs / 360_000))}:${two(Math.floor(cs / 6000) % 60)}:${two(Math.floor(cs / 100) % 60)}.${two(cs % 100)}`;
}

/**
 * The stats line FFmpeg writes (ended by \r) when `doneMs` of the input are encoded, at real-time speed.
 * @param {number} doneMs
 */
export function fakeProgressLine(doneMs) {
  return `frame=${String(Math.floor(doneMs / 40)).padStart(5)} fps= 25 q=28.0 size=     256kB time=${mediaTime(doneMs)} bitrate= 512.0kbits/s speed=   1x\r`;
}

/**
 * The pieces of `bytes` output over `durationMs`: one at the end, or `chunks` evenly spaced.
 * @param {number | null} bytes
 * @param {number} durationMs
 * @param {number | undefined} chunks
 * @returns {OutputPlan}
 */
function outputPlan(bytes, durationMs, chunks) {
  if (bytes === null) return { writes: [], stopBytes: null };
  if (chunks === undefined) return { writes: [{ atMs: durationMs, bytes }], stopBytes: Math.floor(bytes / 2) };
  const writes = Array.from({ length: chunks }, (_, i) => ({ atMs: Math.floor(((i + 1) * durationMs) / chunks), bytes: Math.floor(((i + 1) * bytes) / chunks) }));
  return { writes, stopBytes: null };
}

/**
 * Where the descriptor says the process ends; `durationMs` of a kill-runner run is the time until the kill.
 * @param {MediaDescriptor} descriptor
 * @returns {MediaBehaviour}
 */
export function behaviourOf(descriptor) {
  const durationMs = descriptor.duration_ms ?? 1000;
  const exit = descriptor.exit ?? 0;
  const outputBytes = descriptor.no_output === true ? null : (descriptor.output_bytes ?? (exit === 0 && descriptor.signal === undefined ? 1024 : null));
  const output = outputPlan(outputBytes, durationMs, descriptor.chunks);
  if (descriptor.hang === true) return { kind: 'hang' };
  if (descriptor.kill_runner === 'after_output') return { kind: 'kill-runner', durationMs, output };
  if (descriptor.kill_runner === true) {
    const half = Math.floor(durationMs / 2);
    const writes = descriptor.chunks === undefined ? [{ atMs: half, bytes: Math.floor((outputBytes ?? 0) / 2) }] : output.writes.filter((w) => w.atMs <= half);
    return { kind: 'kill-runner', durationMs: half, output: { writes, stopBytes: null } };
  }
  if (descriptor.signal !== undefined) return { kind: 'signal', signal: descriptor.signal, durationMs, output };
  return { kind: 'exit', code: exit, durationMs, output };
}

/**
 * The path a `-i` argument names: FFmpeg's `file:` protocol prefix removed.
 * @param {string} input
 */
export function sourcePathOf(input) {
  return input.startsWith('file:') ? input.slice('file:'.length) : input;
}

/**
 * The file an FFmpeg command line writes (its last argument), or null when it writes none: the output is
 * stdout (`-`), a pipe (`pipe:1`), or the null muxer (`-f null`) discards it. Arguments exclude argv[0].
 * @param {readonly string[]} args
 * @returns {string | null}
 */
export function outputFileOf(args) {
  const output = args.at(-1);
  if (output === undefined || output === '-' || output.startsWith('pipe:')) return null;
  return args.some((arg, i) => arg === '-f' && args[i + 1] === 'null') ? null : output;
}

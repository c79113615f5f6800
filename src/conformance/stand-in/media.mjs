// @ts-check
// The media descriptor language of src/conformance/media.ts, in plain JavaScript: the stand-in
// executables start with bare `node` (no tsx, so they start fast) and cannot import TypeScript.
// Keep this in step with media.ts; spec/conformance/stand-in.test.ts proves that the stand-in and the
// in-process fake transcoder act every descriptor out alike.

/**
 * @typedef {{ exit?: number, output_bytes?: number, no_output?: boolean, stderr?: string, stderr_bytes?: number,
 *   duration_ms?: number, hang?: boolean, kill_runner?: boolean, signal?: string }} MediaDescriptor
 * @typedef {{ kind: 'exit', code: number, outputBytes: number | null, durationMs: number }
 *   | { kind: 'signal', signal: string, outputBytes: number | null, durationMs: number }
 *   | { kind: 'hang' }
 *   | { kind: 'kill-runner', outputBytes: number, durationMs: number }} MediaBehaviour
 */

export const MEDIA_MAGIC = 'FAKEMEDIA ';

/** Each known field and whether a value is acceptable (MediaDescriptorSchema in media.ts). */
const FIELDS = {
  exit: (/** @type {unknown} */ v) => Number.isInteger(v) && Number(v) >= 0 && Number(v) <= 255,
  output_bytes: (/** @type {unknown} */ v) => Number.isInteger(v) && Number(v) >= 0,
  no_output: (/** @type {unknown} */ v) => typeof v === 'boolean',
  stderr: (/** @type {unknown} */ v) => typeof v === 'string',
  stderr_bytes: (/** @type {unknown} */ v) => Number.isInteger(v) && Number(v) >= 0,
  duration_ms: (/** @type {unknown} */ v) => Number.isInteger(v) && Number(v) >= 0,
  hang: (/** @type {unknown} */ v) => typeof v === 'boolean',
  kill_runner: (/** @type {unknown} */ v) => typeof v === 'boolean',
  signal: (/** @type {unknown} */ v) => typeof v === 'string',
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
 * @param {number} length
 */
export function fakeOutputBytes(length) {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) bytes[i] = i % 4 === 0 ? 0xff : (i * 31) % 256;
  return bytes;
}

/**
 * stderr text for a descriptor: its `stderr`, then `stderr_bytes` of filler lines.
 * @param {MediaDescriptor} descriptor
 */
export function fakeStderr(descriptor) {
  const filler = descriptor.stderr_bytes ?? 0;
  const line = 'frame=    1 fps=0.0 q=0.0 size=       0kB time=00:00:00.00 bitrate=N/A speed=   0x\n';
  return (descriptor.stderr ?? '') + line.repeat(Math.ceil(filler / line.length)).slice(0, filler);
}

/**
 * Where the descriptor says the process ends.
 * @param {MediaDescriptor} descriptor
 * @returns {MediaBehaviour}
 */
export function behaviourOf(descriptor) {
  const durationMs = descriptor.duration_ms ?? 1000;
  const exit = descriptor.exit ?? 0;
  const outputBytes = descriptor.no_output === true ? null : (descriptor.output_bytes ?? (exit === 0 && descriptor.signal === undefined ? 1024 : null));
  if (descriptor.hang === true) return { kind: 'hang' };
  if (descriptor.kill_runner === true) return { kind: 'kill-runner', outputBytes: Math.floor((outputBytes ?? 0) / 2), durationMs: Math.floor(durationMs / 2) };
  if (descriptor.signal !== undefined) return { kind: 'signal', signal: descriptor.signal, outputBytes, durationMs };
  return { kind: 'exit', code: exit, outputBytes, durationMs };
}

/**
 * The path a `-i` argument names: FFmpeg's `file:` protocol prefix removed.
 * @param {string} input
 */
export function sourcePathOf(input) {
  return input.startsWith('file:') ? input.slice('file:'.length) : input;
}

// The media descriptor language (design section 3): a "media file" in a scenario is a small text file
// whose content says how FFmpeg behaves on it. The in-process fake transcoder and the stand-in `ffmpeg`
// executable for other implementations both act it out, so a scenario means the same thing to both.

import Type from 'typebox';
import Value from 'typebox/value';

/**
 * Something another process does to the scenario's files while a clip is encoding: an operator's `mv` or
 * `rm -rf`, or a copy that is still writing the source. Paths are relative to the scenario root.
 */
export const MeanwhileActionSchema = Type.Union([
  Type.Object({ move: Type.Tuple([Type.String(), Type.String()]) }, { additionalProperties: false, description: 'rename(2) the first path to the second (mv)' }),
  Type.Object({ remove: Type.String() }, { additionalProperties: false, description: 'Remove the path and everything under it (rm -rf)' }),
  Type.Object({ append: Type.String() }, { additionalProperties: false, description: 'Append a line to the file (a copy still being written)' }),
  Type.Object({ touch: Type.String() }, { additionalProperties: false, description: 'Set the file\'s modification time to now, content unchanged' }),
]);

export type MeanwhileAction = Type.Static<typeof MeanwhileActionSchema>;

/** The line an `append` action adds. */
export const APPENDED_LINE = 'appended while the clip was encoding\n';

export const MediaDescriptorSchema = Type.Object(
  {
    exit: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, description: 'Exit code (default 0)' })),
    output_bytes: Type.Optional(Type.Integer({ minimum: 0, description: 'Bytes written to the output (default: 1024 on a clean exit, else no file)' })),
    no_output: Type.Optional(Type.Boolean({ description: 'Write no output file at all' })),
    chunks: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Write the output in this many equal pieces, one every duration_ms / chunks (default: all of it at the end); a stop keeps the pieces written',
      }),
    ),
    stderr: Type.Optional(Type.String({ description: 'Text written to stderr' })),
    stderr_bytes: Type.Optional(Type.Integer({ minimum: 0, description: 'Additional filler bytes written to stderr after `stderr`' })),
    duration_ms: Type.Optional(Type.Integer({ minimum: 0, description: 'How long the run takes (default 1000)' })),
    progress_reports: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Report progress as FFmpeg does: a `Duration:` line of duration_ms first, then this many stats lines (`time=… speed=1x`) evenly over the run',
      }),
    ),
    hang: Type.Optional(Type.Boolean({ description: 'Never finish by itself: only a timeout or a stop ends it' })),
    kill_runner: Type.Optional(
      Type.Union([Type.Boolean(), Type.Literal('after_output')], {
        description: 'true: half-way through, SIGKILL the runner (the parent process); "after_output": once the whole output is written',
      }),
    ),
    signal: Type.Optional(Type.String({ description: 'Die by this signal (e.g. SIGSEGV) instead of exiting' })),
    comm: Type.Optional(
      Type.String({ minLength: 1, maxLength: 15, description: 'Real processes only: the name /proc/<pid>/comm shows while it runs (default ffmpeg; argv[0] stays ffmpeg)' }),
    ),
    wait_for_go: Type.Optional(
      Type.Boolean({
        description: 'Real processes only: before its run, create <input>.waiting, wait (without a time limit, until a stop signal) for a file named <input>.go, then remove <input>.waiting, so a test acts while the clip is known to be running',
      }),
    ),
    meanwhile: Type.Optional(
      Type.Array(MeanwhileActionSchema, {
        description: 'Done by someone else half-way through the run, in order (in-memory harness only; not with hang or kill_runner)',
      }),
    ),
  },
  { additionalProperties: false },
);

export type MediaDescriptor = Type.Static<typeof MediaDescriptorSchema>;

export const MEDIA_MAGIC = 'FAKEMEDIA ';

export function encodeMedia(descriptor: MediaDescriptor): string {
  return `${MEDIA_MAGIC}${JSON.stringify(descriptor)}\n`;
}

/** The descriptor in a media file's text, or null when the file is not a (valid) fake medium. */
export function decodeMedia(text: string): MediaDescriptor | null {
  if (!text.startsWith(MEDIA_MAGIC)) return null;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(MEDIA_MAGIC.length));
  } catch {
    return null;
  }
  return Value.Check(MediaDescriptorSchema, value) ? value : null;
}

/** The deterministic bytes a fake FFmpeg writes: not valid UTF-8, so snapshots show them as binary. */
export function fakeOutputBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) bytes[i] = i % 4 === 0 ? 0xff : (i * 31) % 256;
  return bytes;
}

/** Milliseconds as FFmpeg writes a media time: HH:MM:SS.cc. */
function mediaTime(ms: number): string {
  const cs = Math.floor(ms / 10);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(cs / 360_000))}:${two(Math.floor(cs / 6000) % 60)}:${two(Math.floor(cs / 100) % 60)}.${two(cs % 100)}`;
}

/** stderr text for a descriptor: its `stderr`, then `stderr_bytes` of filler lines, then (with `progress_reports`) the input's duration. */
export function fakeStderr(descriptor: MediaDescriptor): string {
  const filler = descriptor.stderr_bytes ?? 0;
  const line = 'frame=    1 fps=0.0 q=0.0 size=       0kB time=00:00:00.00 bitrate=N/A speed=   0x\n';
  const duration = descriptor.progress_reports === undefined ? '' : `  Duration: ${mediaTime(descriptor.duration_ms ?? 1000)}, start: 0.000000, bitrate: N/A\n`;
  return (descriptor.stderr ?? '') + line.repeat(Math.ceil(filler / line.length)).slice(0, filler) + duration;
}

/** The stats line FFmpeg writes (ended by \r) when `doneMs` of the input are encoded, at real-time speed. */
export function fakeProgressLine(doneMs: number): string {
  return `frame=${String(Math.floor(doneMs / 40)).padStart(5)} fps= 25 q=28.0 size=     256kB time=${mediaTime(doneMs)} bitrate= 512.0kbits/s speed=   1x\r`;
}

/**
 * The output a run writes: after `atMs` of its run the file holds the first `bytes` of fakeOutputBytes
 * (the first write creates the file, even with 0 bytes; no write: no file). `stopBytes` is what a stop before the end leaves: a number when the output is written
 * in one piece at the end (half of it: the real tool finalises the truncated file it has), null when it is
 * written in chunks (the chunks written so far stay) or there is no output.
 */
export interface OutputPlan {
  readonly writes: readonly { readonly atMs: number; readonly bytes: number }[];
  readonly stopBytes: number | null;
}

/** Where the descriptor says the process ends; `durationMs` of a kill-runner run is the time until the kill. */
export type MediaBehaviour =
  | { kind: 'exit'; code: number; durationMs: number; output: OutputPlan }
  | { kind: 'signal'; signal: string; durationMs: number; output: OutputPlan }
  | { kind: 'hang' }
  | { kind: 'kill-runner'; durationMs: number; output: OutputPlan };

/** The pieces of `bytes` output over `durationMs`: one at the end, or `chunks` evenly spaced. */
function outputPlan(bytes: number | null, durationMs: number, chunks: number | undefined): OutputPlan {
  if (bytes === null) return { writes: [], stopBytes: null };
  if (chunks === undefined) return { writes: [{ atMs: durationMs, bytes }], stopBytes: Math.floor(bytes / 2) };
  const writes = Array.from({ length: chunks }, (_, i) => ({ atMs: Math.floor(((i + 1) * durationMs) / chunks), bytes: Math.floor(((i + 1) * bytes) / chunks) }));
  return { writes, stopBytes: null };
}

/** How many bytes of the output exist `elapsedMs` into the run; null while there is no file. */
export function bytesWrittenBy(plan: OutputPlan, elapsedMs: number): number | null {
  const landed = plan.writes.filter((w) => w.atMs <= elapsedMs);
  return landed.length === 0 ? null : Math.max(...landed.map((w) => w.bytes));
}

export function behaviourOf(descriptor: MediaDescriptor): MediaBehaviour {
  const durationMs = descriptor.duration_ms ?? 1000;
  const exit = descriptor.exit ?? 0;
  const outputBytes = descriptor.no_output === true ? null : (descriptor.output_bytes ?? (exit === 0 && descriptor.signal === undefined ? 1024 : null));
  const output = outputPlan(outputBytes, durationMs, descriptor.chunks);
  if (descriptor.hang === true) return { kind: 'hang' };
  if (descriptor.kill_runner === 'after_output') return { kind: 'kill-runner', durationMs, output };
  if (descriptor.kill_runner === true) {
    // Half-way: what is on disk by then (one piece written at the end is half written at the kill).
    const half = Math.floor(durationMs / 2);
    const writes = descriptor.chunks === undefined ? [{ atMs: half, bytes: Math.floor((outputBytes ?? 0) / 2) }] : output.writes.filter((w) => w.atMs <= half);
    return { kind: 'kill-runner', durationMs: half, output: { writes, stopBytes: null } };
  }
  if (descriptor.signal !== undefined) return { kind: 'signal', signal: descriptor.signal, durationMs, output };
  return { kind: 'exit', code: exit, durationMs, output };
}

/** The path a `-i` argument names: FFmpeg's `file:` protocol prefix removed. */
export function sourcePathOf(input: string): string {
  return input.startsWith('file:') ? input.slice('file:'.length) : input;
}

/**
 * The file an FFmpeg command line writes (its last argument), or null when it writes none: the output is
 * stdout (`-`), a pipe (`pipe:1`), or the null muxer (`-f null`) discards it. Arguments exclude argv[0].
 */
export function outputFileOf(args: readonly string[]): string | null {
  const output = args.at(-1);
  if (output === undefined || output === '-' || output.startsWith('pipe:')) return null;
  return args.some((arg, i) => arg === '-f' && args[i + 1] === 'null') ? null : output;
}

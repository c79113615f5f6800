// The media descriptor language (design section 3): a "media file" in a scenario is a small text file
// whose content says how FFmpeg behaves on it. The in-process fake transcoder and the stand-in `ffmpeg`
// executable for other implementations both act it out, so a scenario means the same thing to both.

import Type from 'typebox';
import Value from 'typebox/value';

export const MediaDescriptorSchema = Type.Object(
  {
    exit: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, description: 'Exit code (default 0)' })),
    output_bytes: Type.Optional(Type.Integer({ minimum: 0, description: 'Bytes written to the output (default: 1024 on a clean exit, else no file)' })),
    no_output: Type.Optional(Type.Boolean({ description: 'Write no output file at all' })),
    stderr: Type.Optional(Type.String({ description: 'Text written to stderr' })),
    stderr_bytes: Type.Optional(Type.Integer({ minimum: 0, description: 'Additional filler bytes written to stderr after `stderr`' })),
    duration_ms: Type.Optional(Type.Integer({ minimum: 0, description: 'How long the run takes (default 1000)' })),
    hang: Type.Optional(Type.Boolean({ description: 'Never finish by itself: only a timeout or a stop ends it' })),
    kill_runner: Type.Optional(Type.Boolean({ description: 'Half-way through, SIGKILL the runner (the parent process)' })),
    signal: Type.Optional(Type.String({ description: 'Die by this signal (e.g. SIGSEGV) instead of exiting' })),
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

/** stderr text for a descriptor: its `stderr`, then `stderr_bytes` of filler lines. */
export function fakeStderr(descriptor: MediaDescriptor): string {
  const filler = descriptor.stderr_bytes ?? 0;
  const line = 'frame=    1 fps=0.0 q=0.0 size=       0kB time=00:00:00.00 bitrate=N/A speed=   0x\n';
  return (descriptor.stderr ?? '') + line.repeat(Math.ceil(filler / line.length)).slice(0, filler);
}

/** Where the descriptor says the process ends. */
export type MediaBehaviour =
  | { kind: 'exit'; code: number; outputBytes: number | null; durationMs: number }
  | { kind: 'signal'; signal: string; outputBytes: number | null; durationMs: number }
  | { kind: 'hang' }
  | { kind: 'kill-runner'; outputBytes: number; durationMs: number };

export function behaviourOf(descriptor: MediaDescriptor): MediaBehaviour {
  const durationMs = descriptor.duration_ms ?? 1000;
  const exit = descriptor.exit ?? 0;
  const outputBytes = descriptor.no_output === true ? null : (descriptor.output_bytes ?? (exit === 0 && descriptor.signal === undefined ? 1024 : null));
  if (descriptor.hang === true) return { kind: 'hang' };
  if (descriptor.kill_runner === true) return { kind: 'kill-runner', outputBytes: Math.floor((outputBytes ?? 0) / 2), durationMs: Math.floor(durationMs / 2) };
  if (descriptor.signal !== undefined) return { kind: 'signal', signal: descriptor.signal, outputBytes, durationMs };
  return { kind: 'exit', code: exit, outputBytes, durationMs };
}

// Helpers for the real-FFmpeg suite (`npm run test:ffmpeg`): temporary watch folders, sources made with
// FFmpeg's own generators, the CLI exactly as an operator runs it (Node with tsx as a loader, so signals
// reach the runner itself), ffprobe, stream hashes, and process facts from /proc.
//
// The profile table below is written out here, not imported from src/engine, so a change in the runner's
// tables must show up as a failure. It is the runner's argv, which differs from contract section 7 where this
// suite found the contract's args failing on real FFmpeg (each difference is commented in the table).

import { waitFor } from '../support/polling.ts';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { execa } from 'execa';
import Type from 'typebox';
import Value from 'typebox/value';
import type { JobResult } from '../../src/result.ts';
import { JobResultSchema } from '../../src/result.ts';

const CLI = join(import.meta.dirname, '../../src/cli.ts');
/** tsx resolved from this repository, so the CLI runs with any working directory. */
const TSX = import.meta.resolve('tsx');

// ---------------------------------------------------------------------------------------------------
// The runner's FFmpeg profiles (contract section 7, with the differences below) and what ffprobe must see.

export const DEMUXER_WHITELIST = 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts';

export interface ProfileRow {
  readonly name: string;
  /** The JobSpec fields that must agree with the profile. */
  readonly codec: string;
  readonly container: 'mp4' | 'mov' | 'mxf';
  readonly resolution: 'same' | 'half' | 'quarter';
  /** `-vf` value, or null. */
  readonly scale: string | null;
  /** The picture is this many times smaller each way, rounded down to even (see `scaledSize`). */
  readonly divisor: 1 | 2 | 4;
  readonly videoArgs: readonly string[];
  readonly audioArgs: readonly string[];
  /** ffprobe's codec_name, profile and pix_fmt for the video stream, whatever the source's pixel format. */
  readonly probeCodec: 'h264' | 'prores' | 'dnxhd';
  readonly probeProfile: string;
  readonly probePixFmt: 'yuv420p' | 'yuv422p10le' | 'yuv422p';
  /** What the audio stream must be: re-encoded to AAC, copied from the source, or PCM. */
  readonly audio: 'aac' | 'copy' | 'pcm_s16le';
}

// Differences from the contract's table:
// - scale rounds down to even sizes (contract: `scale=iw/2:ih/2`, `scale=iw/4:ih/4`): libx264 in 4:2:0
//   refuses odd sizes ("width not divisible by 2 (165x125)" for a 330x250 source at half);
// - every profile pins `-pix_fmt`: an RGB source otherwise gives "High 4:4:4 Predictive" H.264, a 4:4:4
//   ProRes "Proxy", and a DNxHR LB encoder that refuses to start ("pixel format is incompatible");
// - DNxHR LB audio adds `-ar 48000`: the MXF muxer refuses 44.1 kHz ("only 48khz is implemented");
// - `-r` writes the NTSC family as N000/1001 (see `ffmpegRateOf`): MXF refuses `-r 29.97` (2997/100).
const H264 = ['-c:v', 'libx264', '-crf', '23', '-preset', 'medium', '-pix_fmt', 'yuv420p'];
const AAC = ['-c:a', 'aac', '-b:a', '192k'];
const PRORES_AUDIO = ['-c:a', 'copy'];

export const PROFILES: readonly ProfileRow[] = [
  { name: 'proxy_h264_low', codec: 'h264', container: 'mp4', resolution: 'half', scale: 'scale=trunc(iw/4)*2:trunc(ih/4)*2', divisor: 2, videoArgs: H264, audioArgs: AAC, probeCodec: 'h264', probeProfile: 'High', probePixFmt: 'yuv420p', audio: 'aac' },
  { name: 'proxy_h264_quarter', codec: 'h264', container: 'mp4', resolution: 'quarter', scale: 'scale=trunc(iw/8)*2:trunc(ih/8)*2', divisor: 4, videoArgs: H264, audioArgs: AAC, probeCodec: 'h264', probeProfile: 'High', probePixFmt: 'yuv420p', audio: 'aac' },
  { name: 'proxy_prores_proxy', codec: 'prores_proxy', container: 'mov', resolution: 'same', scale: null, divisor: 1, videoArgs: ['-c:v', 'prores_ks', '-profile:v', '0', '-pix_fmt', 'yuv422p10le'], audioArgs: PRORES_AUDIO, probeCodec: 'prores', probeProfile: 'Proxy', probePixFmt: 'yuv422p10le', audio: 'copy' },
  { name: 'proxy_prores_lt', codec: 'prores_lt', container: 'mov', resolution: 'same', scale: null, divisor: 1, videoArgs: ['-c:v', 'prores_ks', '-profile:v', '1', '-pix_fmt', 'yuv422p10le'], audioArgs: PRORES_AUDIO, probeCodec: 'prores', probeProfile: 'LT', probePixFmt: 'yuv422p10le', audio: 'copy' },
  { name: 'proxy_dnxhr_lb', codec: 'dnxhr', container: 'mxf', resolution: 'same', scale: null, divisor: 1, videoArgs: ['-c:v', 'dnxhd', '-profile:v', 'dnxhr_lb', '-pix_fmt', 'yuv422p'], audioArgs: ['-c:a', 'pcm_s16le', '-ar', '48000'], probeCodec: 'dnxhd', probeProfile: 'DNXHR LB', probePixFmt: 'yuv422p', audio: 'pcm_s16le' },
];

/** A source dimension after the profile's scale filter: `trunc(n/(2·divisor))·2`, or n unscaled. */
export function scaledSize(n: number, divisor: ProfileRow['divisor']): number {
  return divisor === 1 ? n : Math.trunc(n / (2 * divisor)) * 2;
}

/** The exact fraction FFmpeg gets for an NTSC rate; any other rate is written as the number. */
const NTSC_RATES: ReadonlyMap<number, string> = new Map([
  [23.976, '24000/1001'],
  [29.97, '30000/1001'],
  [47.952, '48000/1001'],
  [59.94, '60000/1001'],
]);

export function ffmpegRateOf(fps: number): string {
  return NTSC_RATES.get(fps) ?? String(fps);
}

export function profileRow(name: string): ProfileRow {
  const row = PROFILES.find((p) => p.name === name);
  if (row === undefined) throw new Error(`no such profile ${name}`);
  return row;
}

/** The runner's argv (contract section 7's order, the args of `PROFILES`), built independently of src/engine. */
export function runnerArgv(ffmpeg: string, profile: ProfileRow, source: string, output: string, fps: number | null): string[] {
  return [
    ffmpeg, '-hide_banner', '-nostdin', '-n', '-protocol_whitelist', 'file', '-format_whitelist', DEMUXER_WHITELIST,
    '-i', `file:${source}`,
    ...(profile.scale === null ? [] : ['-vf', profile.scale]),
    ...profile.videoArgs, ...profile.audioArgs,
    ...(fps === null ? [] : ['-r', ffmpegRateOf(fps)]),
    '-f', profile.container, `${output}.partial`,
  ];
}

// ---------------------------------------------------------------------------------------------------
// FFmpeg and ffprobe themselves.

/** The first executable named `name` on PATH, as the runner finds it; throws when there is none. */
export function onPath(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    try {
      if (statSync(join(dir, name)).isFile()) return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} is not on PATH: the real-FFmpeg suite needs FFmpeg (apt-get install -y ffmpeg)`);
}

export const FFMPEG = onPath('ffmpeg');
export const FFPROBE = onPath('ffprobe');

/** Runs FFmpeg quietly for test fixtures; a failure throws with FFmpeg's stderr. */
export async function ffmpeg(args: readonly string[]): Promise<void> {
  await execa(FFMPEG, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);
}

export interface SourceOptions {
  readonly generator: 'testsrc' | 'testsrc2';
  readonly size: `${number}x${number}`;
  /** `png` is RGB (rgb24), for the tests that every profile pins its own pixel format. */
  readonly video: 'h264' | 'ffv1' | 'mpeg2video' | 'png';
  /** Stereo 440 Hz sine, or no audio stream at all. */
  readonly audio: { readonly codec: 'aac' | 'pcm_s16le' | 'libopus'; readonly rate: 44100 | 48000 } | null;
  readonly seconds?: number;
}

const VIDEO_ENCODERS: Record<SourceOptions['video'], string[]> = {
  // libx264 needs even dimensions in 4:2:0; FFV1 takes any size, which is how the odd sources are made.
  h264: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
  ffv1: ['-c:v', 'ffv1', '-pix_fmt', 'yuv420p'],
  mpeg2video: ['-c:v', 'mpeg2video', '-pix_fmt', 'yuv420p'],
  png: ['-c:v', 'png', '-pix_fmt', 'rgb24'],
};

/** A short clip from FFmpeg's own generators, 25 fps; the container follows the file's extension. */
export async function makeSource(path: string, options: SourceOptions): Promise<void> {
  const seconds = options.seconds ?? 1;
  const { audio } = options;
  await ffmpeg([
    '-f', 'lavfi', '-i', `${options.generator}=duration=${seconds}:size=${options.size}:rate=25`,
    ...(audio === null ? [] : ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=${audio.rate}`]),
    ...VIDEO_ENCODERS[options.video],
    ...(audio === null ? [] : ['-c:a', audio.codec, '-ac', '2']),
    path,
  ]);
}

/**
 * A long 1280x720 source that is cheap to make and slow to encode: two seconds of testsrc2 looped by
 * stream copy. The H.264 profile needs well over ten seconds for it here, so the process tests always
 * find FFmpeg mid-clip; they stop it long before that.
 */
export async function makeLongSource(path: string, seconds = 200): Promise<void> {
  const seed = `${path}.seed.mp4`;
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=duration=2:size=1280x720:rate=25', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40', '-pix_fmt', 'yuv420p', seed]);
  await ffmpeg(['-stream_loop', String(seconds / 2 - 1), '-i', seed, '-c', 'copy', path]);
  rmSync(seed);
}

/**
 * A `.mov` whose container is intact but whose media data is noise: FFmpeg opens it, creates the output,
 * then fails to decode a single frame (exit 1). The `mdat` payload is overwritten with a fixed LCG stream.
 */
export function scrambleMediaData(from: string, to: string): void {
  const bytes = readFileSync(from);
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      size = Number(bytes.readBigUInt64BE(offset + 8));
      header = 16;
    }
    if (size === 0) size = bytes.length - offset;
    if (type === 'mdat') {
      let state = 12345;
      for (let i = offset + header; i < offset + size; i += 1) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        bytes[i] = state >>> 24;
      }
      writeFileSync(to, bytes);
      return;
    }
    offset += size;
  }
  throw new Error(`no mdat box in ${from}`);
}

const ProbeSchema = Type.Object({
  streams: Type.Array(
    Type.Object({
      codec_type: Type.String(),
      codec_name: Type.Optional(Type.String()),
      profile: Type.Optional(Type.String()),
      pix_fmt: Type.Optional(Type.String()),
      width: Type.Optional(Type.Number()),
      height: Type.Optional(Type.Number()),
      r_frame_rate: Type.String(),
      avg_frame_rate: Type.String(),
      channels: Type.Optional(Type.Number()),
      sample_rate: Type.Optional(Type.String()),
    }),
  ),
  format: Type.Object({
    format_name: Type.String(),
    tags: Type.Optional(Type.Object({ major_brand: Type.Optional(Type.String()) })),
  }),
});

export type Probe = Type.Static<typeof ProbeSchema>;
export type ProbedStream = Probe['streams'][number];

export async function probe(path: string): Promise<Probe> {
  const { stdout } = await execa(FFPROBE, [
    '-v', 'error', '-of', 'json',
    '-show_entries', 'stream=codec_type,codec_name,profile,pix_fmt,width,height,r_frame_rate,avg_frame_rate,channels,sample_rate:format=format_name:format_tags=major_brand',
    path,
  ]);
  const value: unknown = JSON.parse(stdout);
  if (!Value.Check(ProbeSchema, value)) throw new Error(`unexpected ffprobe output for ${path}: ${stdout}`);
  return value;
}

export function streamOf(probed: Probe, type: 'video' | 'audio'): ProbedStream | undefined {
  return probed.streams.find((s) => s.codec_type === type);
}

/**
 * MD5 of every stream's packet data (`-f streamhash`), per stream: equal hashes mean equal coded media,
 * whatever the container's own headers (MXF writes fresh UUIDs and timestamps every time).
 */
export async function streamHashes(path: string, streams: 'all' | 'audio' = 'all'): Promise<string> {
  const map = streams === 'all' ? '0' : '0:a';
  const { stdout } = await execa(FFMPEG, ['-v', 'error', '-nostdin', '-i', path, '-map', map, '-c', 'copy', '-f', 'streamhash', '-hash', 'md5', '-']);
  return stdout;
}

// ---------------------------------------------------------------------------------------------------
// Watch folders, JobSpecs, results.

export interface Workspace {
  readonly root: string;
  readonly media: string;
  /** A fresh watch folder (root/watch-<n>) each call; it exists, its state folders do not. */
  watch(): string;
  /** A fresh, existing output directory. */
  out(): string;
  cleanup(): void;
}

export function makeWorkspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'runner-ffmpeg-'));
  const media = join(root, 'media');
  mkdirSync(media);
  let n = 0;
  const fresh = (prefix: string): string => {
    n += 1;
    const dir = join(root, `${prefix}-${n}`);
    mkdirSync(dir);
    return dir;
  };
  return {
    root,
    media,
    watch: () => fresh('watch'),
    out: () => fresh('out'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface JobSpecInput {
  readonly sources: readonly string[];
  readonly outputDirectory: string;
  readonly profile: string;
  readonly template?: string;
  readonly jobId?: string;
  readonly fps?: number;
}

/** A JobSpec 2.1 whose codec, container and resolution agree with the profile, as the contract demands. */
export function jobSpecText(input: JobSpecInput): string {
  const row = profileRow(input.profile);
  return `${JSON.stringify(
    {
      jobspec_version: '2.1',
      ...(input.jobId === undefined ? {} : { job_id: input.jobId }),
      sources: input.sources,
      output_directory: input.outputDirectory,
      codec: row.codec,
      container: row.container,
      resolution: row.resolution,
      naming_template: input.template ?? '{source_name}_proxy',
      proxy_profile: row.name,
      ...(input.fps === undefined ? {} : { fps_mode: 'explicit', fps_explicit: input.fps }),
    },
    null,
    2,
  )}\n`;
}

/** Drops a JobSpec into `<watch>/pending/` (creating it) and returns its path. */
export function dropJob(watch: string, name: string, input: JobSpecInput): string {
  mkdirSync(join(watch, 'pending'), { recursive: true });
  const path = join(watch, 'pending', name);
  writeFileSync(path, jobSpecText(input));
  return path;
}

/** Reads a result file and checks it against the result schema of contract section 10. */
export function readResult(path: string): JobResult {
  const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Value.Check(JobResultSchema, value)) throw new Error(`${path} does not match the result schema`);
  return value;
}

// ---------------------------------------------------------------------------------------------------
// The CLI and processes.

/** The environment of every run: the real PATH (so the real FFmpeg), UTC like the default project. */
const ENV = { PATH: process.env.PATH ?? '', TZ: 'UTC' };

/** One run of the CLI to completion: `node --import tsx src/cli.ts <args>`. */
export function runCli(args: readonly string[]) {
  return execa(process.execPath, ['--import', TSX, CLI, ...args], { reject: false, env: ENV });
}

/**
 * Starts the CLI without waiting for it. `detached` puts it in a process group of its own (its pid is the
 * group id), as a service manager or a terminal does, so the whole group can be signalled.
 */
export function startCli(args: readonly string[], detached = false) {
  return execa(process.execPath, ['--import', TSX, CLI, ...args], { reject: false, env: ENV, detached });
}

/**
 * Whether `pid` is a running process. A zombie counts as gone: it has exited and holds nothing open; it
 * merely waits for a parent to reap it, and an orphan's new parent (PID 1 of a container) may never do so.
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

/** The executable name of `pid` (`/proc/<pid>/comm`), or null when it is gone. */
export function commOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

export { sleep, waitFor } from '../support/polling.ts';

/** The FFmpeg child the runner recorded in `<watch>/.runner.lock`, or null (no lock, no child). */
export function lockedFfmpegPid(watch: string): number | null {
  let text: string;
  try {
    text = readFileSync(join(watch, '.runner.lock'), 'utf8');
  } catch {
    return null;
  }
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || !('ffmpeg_pid' in value)) return null;
  return typeof value.ffmpeg_pid === 'number' ? value.ffmpeg_pid : null;
}

export function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

/**
 * Waits until the runner's FFmpeg child is encoding: its pid is in the lock, it runs, and the `.partial`
 * it writes has grown past the container header. Returns the pid.
 */
export async function waitForEncoding(watch: string, partial: string): Promise<number> {
  const pid = await waitFor('the FFmpeg pid in the lock', () => lockedFfmpegPid(watch));
  await waitFor(`${partial} to grow`, () => ((sizeOf(partial) ?? 0) > 64 * 1024 ? true : null));
  return pid;
}

/** The running FFmpeg processes whose command line names `path` (found in /proc, not in any lock). */
export function ffmpegProcessesWriting(path: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return commOf(pid) === 'ffmpeg' && isRunning(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(path);
      } catch {
        return false;
      }
    });
}

/** Signals `pid` only when it is still a running FFmpeg (so a reused pid is never hit). */
export function killFfmpegIfRunning(pid: number | null): void {
  if (pid !== null && isRunning(pid) && commOf(pid) === 'ffmpeg') process.kill(pid, 'SIGKILL');
}

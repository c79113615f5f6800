// The exact FFmpeg argv of contract section 7. Arguments are separate array items and never pass
// through a shell; the source is given as `file:<absolute path>` and demuxers are restricted, so a
// source named like an option or a protocol, or a playlist disguised as .mp4, is never interpreted.

import type { FfmpegProfile } from './profiles.ts';
import { scaleFilter } from './profiles.ts';
import { ffmpegRate } from './frame-rate.ts';

export const DEMUXER_WHITELIST = 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mxf,avi,mpeg,mpegts';

export interface CommandInput {
  readonly ffmpeg: string;
  readonly profile: FfmpegProfile;
  /** Absolute source path. */
  readonly source: string;
  /** Absolute path FFmpeg writes: the final output path plus `.partial`. */
  readonly partialOutput: string;
  /** Frames per second when `fps_mode` is explicit, else null. */
  readonly fps: number | null;
}

export { formatNumber } from './frame-rate.ts';

export function buildFfmpegArgv(input: CommandInput): string[] {
  const { profile } = input;
  const filter = scaleFilter(profile.scale);
  return [
    input.ffmpeg,
    '-hide_banner',
    '-nostdin',
    '-n',
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    DEMUXER_WHITELIST,
    '-i',
    `file:${input.source}`,
    ...(filter === null ? [] : ['-vf', filter]),
    ...profile.videoArgs,
    ...profile.audioArgs,
    ...(input.fps === null ? [] : ['-r', ffmpegRate(input.fps)]),
    '-f',
    profile.muxer,
    input.partialOutput,
  ];
}

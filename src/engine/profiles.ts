// The ten proxy profiles of contract section 7, as data. Only the five FFmpeg ones can run here; the
// Resolve ones are known so that they are refused with a precise reason instead of "unknown profile".

import { compareCodeUnits } from '../jobspec/schema.ts';

export type Scale = 'same' | 'half' | 'quarter';

export interface FfmpegProfile {
  readonly name: string;
  readonly engine: 'ffmpeg';
  /** The JobSpec `codec` this profile produces (compared case-insensitively, h265 ≡ hevc). */
  readonly codec: string;
  /** The JobSpec `container`, which is also the output file extension. */
  readonly container: 'mp4' | 'mov' | 'mxf';
  /** FFmpeg's muxer name, passed with -f because the output is first written as `<name>.partial`. */
  readonly muxer: 'mp4' | 'mov' | 'mxf';
  readonly scale: Scale;
  readonly videoArgs: readonly string[];
  readonly audioArgs: readonly string[];
}

export interface ResolveProfile {
  readonly name: string;
  readonly engine: 'resolve';
}

export type Profile = FfmpegProfile | ResolveProfile;

// Every profile pins its pixel format. Without it FFmpeg keeps the source's: an RGB or 4:4:4 source then
// gives an H.264 "High 4:4:4 Predictive" proxy most players cannot decode, a ProRes "Proxy" in 4:4:4,
// and a DNxHR LB encoder that refuses to start ("pixel format is incompatible with DNxHD profile").
const H264_VIDEO = ['-c:v', 'libx264', '-crf', '23', '-preset', 'medium', '-pix_fmt', 'yuv420p'] as const;
const AAC_AUDIO = ['-c:a', 'aac', '-b:a', '192k'] as const;

const FFMPEG_PROFILES: readonly FfmpegProfile[] = [
  { name: 'proxy_h264_low', engine: 'ffmpeg', codec: 'h264', container: 'mp4', muxer: 'mp4', scale: 'half', videoArgs: H264_VIDEO, audioArgs: AAC_AUDIO },
  { name: 'proxy_h264_quarter', engine: 'ffmpeg', codec: 'h264', container: 'mp4', muxer: 'mp4', scale: 'quarter', videoArgs: H264_VIDEO, audioArgs: AAC_AUDIO },
  { name: 'proxy_prores_proxy', engine: 'ffmpeg', codec: 'prores_proxy', container: 'mov', muxer: 'mov', scale: 'same', videoArgs: ['-c:v', 'prores_ks', '-profile:v', '0', '-pix_fmt', 'yuv422p10le'], audioArgs: ['-c:a', 'copy'] },
  { name: 'proxy_prores_lt', engine: 'ffmpeg', codec: 'prores_lt', container: 'mov', muxer: 'mov', scale: 'same', videoArgs: ['-c:v', 'prores_ks', '-profile:v', '1', '-pix_fmt', 'yuv422p10le'], audioArgs: ['-c:a', 'copy'] },
  { name: 'proxy_dnxhr_lb', engine: 'ffmpeg', codec: 'dnxhr', container: 'mxf', muxer: 'mxf', scale: 'same', videoArgs: ['-c:v', 'dnxhd', '-profile:v', 'dnxhr_lb', '-pix_fmt', 'yuv422p'], audioArgs: ['-c:a', 'pcm_s16le', '-ar', '48000'] },
];

const RESOLVE_PROFILES: readonly ResolveProfile[] = [
  'proxy_prores_proxy_resolve',
  'proxy_prores_lt_resolve',
  'proxy_prores_hq_resolve',
  'proxy_dnxhr_lb_resolve',
  'proxy_dnxhr_sq_resolve',
].map((name) => ({ name, engine: 'resolve' as const }));

const PROFILES: ReadonlyMap<string, Profile> = new Map(
  [...FFMPEG_PROFILES, ...RESOLVE_PROFILES].map((p) => [p.name, p]),
);

/** All profile names, sorted with plain `<` (code-unit order) as the reason strings list them. */
export const PROFILE_NAMES: readonly string[] = [...PROFILES.keys()].sort(compareCodeUnits);

export function findProfile(name: string): Profile | undefined {
  return PROFILES.get(name);
}

/**
 * The `-vf` filter for a scale, or null when the picture keeps its size. Dimensions are rounded down to
 * even numbers: 4:2:0 H.264 cannot encode an odd width or height (720x486 NTSC halves to 360x243).
 */
export function scaleFilter(scale: Scale): string | null {
  if (scale === 'half') return 'scale=trunc(iw/4)*2:trunc(ih/4)*2';
  if (scale === 'quarter') return 'scale=trunc(iw/8)*2:trunc(ih/8)*2';
  return null;
}

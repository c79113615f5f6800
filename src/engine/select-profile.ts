// Profile selection (contract section 7): the JobSpec names a profile, and because the JobSpec is the
// only source of truth its codec, container and resolution must describe what that profile produces.

import type { JobSpec } from '../jobspec/schema.ts';
import { normalizedCodec, normalizedContainer, normalizedResolution } from '../jobspec/parse.ts';
import type { FfmpegProfile } from './profiles.ts';
import { findProfile, PROFILE_NAMES } from './profiles.ts';
import { mxfRateProblem } from './frame-rate.ts';

export type ProfileSelection = { ok: true; profile: FfmpegProfile } | { ok: false; reason: string };

const PROFILE_PREFIX = 'Proxy profile validation failed: ';

/** Whether two lowercased codecs are the same (h265 ≡ hevc); the published schema names profiles with it. */
export function sameCodec(a: string, b: string): boolean {
  const canonical = (c: string): string => (c === 'hevc' ? 'h265' : c);
  return canonical(a) === canonical(b);
}

export function selectProfile(spec: JobSpec): ProfileSelection {
  const name = spec.proxy_profile;
  if (name === undefined || name === null) {
    return { ok: false, reason: `${PROFILE_PREFIX}V2 jobs must specify proxy_profile. Proxy profiles are the ONLY way to define proxy output settings.` };
  }
  const profile = findProfile(name);
  if (profile === undefined) {
    return {
      ok: false,
      reason: `${PROFILE_PREFIX}Invalid proxy_profile: Unknown proxy profile '${name}'. Available profiles: [${PROFILE_NAMES.join(', ')}]`,
    };
  }
  if (profile.engine !== 'ffmpeg') {
    return { ok: false, reason: `${PROFILE_PREFIX}Profile '${name}' requires the resolve engine, which this runner does not provide.` };
  }
  if (spec.resolve_preset !== undefined && spec.resolve_preset !== null) {
    return { ok: false, reason: `Resolve preset validation failed: FFmpeg jobs must not specify resolve_preset (got: '${spec.resolve_preset}').` };
  }
  const matches =
    sameCodec(normalizedCodec(spec), profile.codec) &&
    normalizedContainer(spec) === profile.container &&
    normalizedResolution(spec) === profile.scale;
  if (!matches) {
    return {
      ok: false,
      reason:
        `${PROFILE_PREFIX}Profile '${name}' produces ${profile.codec} in ${profile.container} at ${profile.scale} resolution, ` +
        `but the JobSpec asks for ${spec.codec} in ${spec.container} at ${spec.resolution}.`,
    };
  }
  // MXF carries only broadcast rates; refusing here makes the job PARTIAL before FFmpeg, not a failed encode.
  if (profile.container === 'mxf' && spec.fps_mode === 'explicit' && typeof spec.fps_explicit === 'number') {
    const problem = mxfRateProblem(spec.fps_explicit);
    if (problem !== null) return { ok: false, reason: `${PROFILE_PREFIX}Profile '${name}' writes MXF, and ${problem}.` };
  }
  return { ok: true, profile };
}

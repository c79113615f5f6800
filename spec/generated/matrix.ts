// Family `matrix`: every codec × container × resolution (same, half, quarter, an explicit WxH) × FFmpeg
// proxy profile. Each cell ends in one of three ways, and the description says which one the spec
// predicts, so a golden that disagrees with its own description stands out in review:
// - the codec/container pair is not allowed (SPEC R6.5): PARTIAL before any profile is looked at,
//   whatever the resolution and profile (this is also what pins "6 before 7" for every profile);
// - the pair is allowed but the JobSpec does not describe what the profile produces (R7.10): PARTIAL
//   with the profile's consistency message;
// - the JobSpec describes exactly what the profile produces: COMPLETED.
// The tables below are copied from SPEC.md (R6.5, R7.12), independently of src/.

import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import { baseJobSpec, defaultTree, generated, slug, withFields } from './base.ts';

const PAIRS: Readonly<Record<string, readonly string[]>> = {
  prores_proxy: ['mov'],
  prores_lt: ['mov'],
  prores_standard: ['mov'],
  prores_hq: ['mov'],
  prores_4444: ['mov'],
  h264: ['mp4', 'mov', 'mkv'],
  h265: ['mp4', 'mov', 'mkv'],
  hevc: ['mp4', 'mov', 'mkv'],
  dnxhd: ['mxf'],
  dnxhr: ['mov', 'mxf'],
  vp9: ['webm', 'mkv'],
  av1: ['mp4', 'mkv', 'webm'],
};
const CONTAINERS = ['mov', 'mp4', 'mkv', 'webm', 'mxf'];
const RESOLUTIONS = ['same', 'half', 'quarter', '1920x1080'];
const PROFILES: ReadonlyArray<{ readonly name: string; readonly codec: string; readonly container: string; readonly scale: string }> = [
  { name: 'proxy_h264_low', codec: 'h264', container: 'mp4', scale: 'half' },
  { name: 'proxy_h264_quarter', codec: 'h264', container: 'mp4', scale: 'quarter' },
  { name: 'proxy_prores_proxy', codec: 'prores_proxy', container: 'mov', scale: 'same' },
  { name: 'proxy_prores_lt', codec: 'prores_lt', container: 'mov', scale: 'same' },
  { name: 'proxy_dnxhr_lb', codec: 'dnxhr', container: 'mxf', scale: 'same' },
];

export function matrixScenarios(): LoadedScenario[] {
  const scenarios: LoadedScenario[] = [];
  for (const [codec, containers] of Object.entries(PAIRS)) {
    for (const container of CONTAINERS) {
      for (const resolution of RESOLUTIONS) {
        for (const profile of PROFILES) {
          const paired = containers.includes(container);
          const consistent = codec === profile.codec && container === profile.container && resolution === profile.scale;
          const outcome = !paired
            ? `PARTIAL: ${codec} cannot go in ${container} (R6.5), checked before the profile`
            : consistent
              ? 'COMPLETED: the JobSpec describes exactly what the profile produces'
              : `PARTIAL: ${profile.name} produces ${profile.codec} in ${profile.container} at ${profile.scale}, not this (R7.10)`;
          scenarios.push(
            generated({
              family: 'matrix',
              name: `${codec}-${container}-${slug(resolution)}-${profile.name}`,
              description: `${codec} in ${container} at ${resolution} with ${profile.name} → ${outcome}`,
              // DNxHD in MOV has its own reason (R6.6); every other refused pair the generic one (R6.5).
              requirements: !paired ? [codec === 'dnxhd' && container === 'mov' ? 'R6.6' : 'R6.5'] : consistent ? ['R7.10', 'R7.12'] : ['R7.10'],
              tree: defaultTree(withFields(baseJobSpec(), { codec, container, resolution, proxy_profile: profile.name })),
            }),
          );
        }
      }
    }
  }
  return scenarios;
}

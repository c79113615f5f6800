// Family `precedence`: "the first failure wins" across the whole pipeline. Each fault below breaks one
// check of SPEC sections 5-9, listed in the order the spec runs them; every pair of faults that
// touch different fields is applied to one JobSpec, and the earlier check must be the one reported (and,
// when the later fault is a failing FFmpeg run, no FFmpeg may start at all). Pairs catch any check done
// in the wrong stage, which single-fault scenarios cannot.

import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import type { JobSpecDraft } from './base.ts';
import { baseJobSpec, defaultTree, generated, media, mediaPath, withFields, withoutFields } from './base.ts';

interface Draft {
  readonly spec: JobSpecDraft;
  readonly tree: Record<string, unknown>;
}

interface Fault {
  readonly name: string;
  /** The SPEC.md requirement whose check catches it. */
  readonly check: string;
  readonly what: string;
  /** The JobSpec keys (or tree paths) it changes: two faults that share one are never combined. */
  readonly touches: readonly string[];
  readonly apply: (draft: Draft) => Draft;
}

const set = (changes: JobSpecDraft) => (d: Draft): Draft => ({ ...d, spec: withFields(d.spec, changes) });
const drop = (key: string) => (d: Draft): Draft => ({ ...d, spec: withoutFields(d.spec, key) });
const addMedia = (file: string) => (d: Draft): Draft => ({ ...d, tree: { ...d.tree, [`media/${file}`]: media() } });
const both = (...steps: Array<(d: Draft) => Draft>) => (d: Draft): Draft => steps.reduce((acc, step) => step(acc), d);

/** In the spec's order: the earlier of two faults is the one reported. */
const FAULTS: readonly Fault[] = [
  { name: 'missing-version', check: 'R5.10', what: 'jobspec_version missing', touches: ['jobspec_version'], apply: drop('jobspec_version') },
  { name: 'version-mismatch', check: 'R5.11', what: 'jobspec_version "2.0"', touches: ['jobspec_version'], apply: set({ jobspec_version: '2.0' }) },
  { name: 'unknown-field', check: 'R5.12', what: 'an unknown field', touches: ['priority'], apply: set({ priority: 1 }) },
  { name: 'missing-required', check: 'R5.13', what: 'output_directory missing', touches: ['output_directory'], apply: drop('output_directory') },
  { name: 'wrong-type', check: 'R5.14', what: 'lut_applied a string', touches: ['lut_applied'], apply: set({ lut_applied: 'yes' }) },
  { name: 'bad-codec', check: 'R5.15', what: 'codec "h263"', touches: ['codec'], apply: set({ codec: 'h263' }) },
  { name: 'bad-container', check: 'R5.16', what: 'container "avi"', touches: ['container'], apply: set({ container: 'avi' }) },
  { name: 'bad-fps-mode', check: 'R5.17', what: 'fps_mode "variable"', touches: ['fps_mode'], apply: set({ fps_mode: 'variable' }) },
  { name: 'bad-resolution', check: 'R5.18', what: 'resolution "full"', touches: ['resolution'], apply: set({ resolution: 'full' }) },
  { name: 'bad-edition', check: 'R5.19', what: 'requires_resolve_edition "pro"', touches: ['requires_resolve_edition'], apply: set({ requires_resolve_edition: 'pro' }) },
  { name: 'missing-source', check: 'R6.2', what: 'a missing source', touches: ['sources'], apply: set({ sources: [mediaPath('missing.mov')] }) },
  { name: 'empty-sources', check: 'R6.4', what: 'empty sources', touches: ['sources'], apply: set({ sources: [] }) },
  { name: 'bad-pair', check: 'R6.5', what: 'h264 in webm', touches: ['container'], apply: set({ container: 'webm' }) },
  { name: 'unknown-token', check: 'R6.7', what: 'an unknown token', touches: ['naming_template'], apply: set({ naming_template: '{source_name}_{take}' }) },
  { name: 'fps-unset', check: 'R6.8', what: 'fps_mode explicit without fps_explicit', touches: ['fps_mode', 'fps_explicit'], apply: set({ fps_mode: 'explicit' }) },
  {
    name: 'multi-clip-template', check: 'R6.10', what: 'two clips and a template without {index} or {source_name}', touches: ['sources', 'naming_template'],
    apply: both(set({ sources: [mediaPath('clip.mov'), mediaPath('clip2.mov')], naming_template: 'proxy' }), addMedia('clip2.mov')),
  },
  { name: 'lut-set', check: 'R6.11', what: 'lut_id set', touches: ['lut_id'], apply: set({ lut_id: 'rec709' }) },
  { name: 'output-dir-missing', check: 'R6.12', what: 'a missing output directory', touches: ['output_directory'], apply: set({ output_directory: '{ROOT}/nowhere' }) },
  { name: 'routing', check: 'R7.2', what: 'a RAW source', touches: ['sources'], apply: both(set({ sources: [mediaPath('clip.r3d')] }), addMedia('clip.r3d')) },
  { name: 'profile-missing', check: 'R7.6', what: 'proxy_profile missing', touches: ['proxy_profile'], apply: drop('proxy_profile') },
  { name: 'profile-unknown', check: 'R7.7', what: 'an unknown proxy_profile', touches: ['proxy_profile'], apply: set({ proxy_profile: 'proxy_h265' }) },
  { name: 'profile-resolve', check: 'R7.8', what: 'a Resolve proxy_profile', touches: ['proxy_profile'], apply: set({ proxy_profile: 'proxy_prores_proxy_resolve' }) },
  { name: 'resolve-preset', check: 'R7.9', what: 'resolve_preset set', touches: ['resolve_preset'], apply: set({ resolve_preset: 'Proxy' }) },
  { name: 'profile-mismatch', check: 'R7.10', what: 'a resolution the profile does not produce', touches: ['resolution'], apply: set({ resolution: 'quarter' }) },
  { name: 'unsafe-name', check: 'R8.6', what: 'an unsafe output name', touches: ['naming_template'], apply: set({ naming_template: '../{source_name}' }) },
  {
    name: 'name-collision', check: 'R8.10', what: 'two clips resolving to one name', touches: ['sources', 'naming_template'],
    apply: both(set({ sources: [mediaPath('a/clip.mov'), mediaPath('b/clip.mov')], naming_template: '{source_name}' }), addMedia('a/clip.mov'), addMedia('b/clip.mov')),
  },
  {
    name: 'output-exists', check: 'R8.11', what: 'an existing output', touches: ['out/clip_proxy.mp4'],
    apply: (d) => ({ ...d, tree: { ...d.tree, 'out/clip_proxy.mp4': 'an earlier proxy\n' } }),
  },
  {
    name: 'ffmpeg-fails', check: 'R9.3', what: 'an FFmpeg run that would fail', touches: ['media/clip.mov'],
    apply: (d) => ({ ...d, tree: { ...d.tree, 'media/clip.mov': media({ exit: 1, stderr: 'Conversion failed!\n' }) } }),
  },
];

/**
 * What a pair pins besides the earlier check itself: the order rule that puts it first (parse checks in
 * order, R5.2; sources before the rest of section 6, R6.3; routing before profiles, R7.5), and R4.9 when
 * the later fault is a failing FFmpeg run, which must then never start.
 */
function orderRequirements(first: Fault, second: Fault): string[] {
  const order = first.check.startsWith('R5.') ? ['R5.2'] : first.name === 'missing-source' ? ['R6.3'] : first.name === 'routing' ? ['R7.5'] : [];
  return second.name === 'ffmpeg-fails' ? [...order, 'R4.9'] : order;
}

export function precedenceScenarios(): LoadedScenario[] {
  const scenarios: LoadedScenario[] = [];
  FAULTS.forEach((first, i) => {
    for (const second of FAULTS.slice(i + 1)) {
      if (first.touches.some((key) => second.touches.includes(key))) continue;
      const base: Draft = { spec: baseJobSpec(), tree: {} };
      const draft = second.apply(first.apply(base));
      const tree = { ...defaultTree(draft.spec), ...draft.tree };
      scenarios.push(
        generated({
          family: 'precedence',
          name: `${first.name}-before-${second.name}`,
          description: `${first.what} (${first.check}) is reported, not ${second.what} (${second.check})`,
          requirements: [first.check, ...orderRequirements(first, second)],
          tree,
        }),
      );
    }
  });
  return scenarios;
}

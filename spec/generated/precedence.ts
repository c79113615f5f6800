// Family `precedence`: "the first failure wins" across the whole pipeline. Each fault below breaks one
// check of contract sections 5-9, listed in the order the contract runs them; every pair of faults that
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
  /** The contract check that catches it. */
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

/** In contract order: the earlier of two faults is the one reported. */
const FAULTS: readonly Fault[] = [
  { name: 'missing-version', check: '5.2', what: 'jobspec_version missing', touches: ['jobspec_version'], apply: drop('jobspec_version') },
  { name: 'version-mismatch', check: '5.3', what: 'jobspec_version "2.0"', touches: ['jobspec_version'], apply: set({ jobspec_version: '2.0' }) },
  { name: 'unknown-field', check: '5.4', what: 'an unknown field', touches: ['priority'], apply: set({ priority: 1 }) },
  { name: 'missing-required', check: '5.5', what: 'output_directory missing', touches: ['output_directory'], apply: drop('output_directory') },
  { name: 'wrong-type', check: '5.6', what: 'lut_applied a string', touches: ['lut_applied'], apply: set({ lut_applied: 'yes' }) },
  { name: 'bad-codec', check: '5.7', what: 'codec "h263"', touches: ['codec'], apply: set({ codec: 'h263' }) },
  { name: 'bad-container', check: '5.8', what: 'container "avi"', touches: ['container'], apply: set({ container: 'avi' }) },
  { name: 'bad-fps-mode', check: '5.9', what: 'fps_mode "variable"', touches: ['fps_mode'], apply: set({ fps_mode: 'variable' }) },
  { name: 'bad-resolution', check: '5.10', what: 'resolution "full"', touches: ['resolution'], apply: set({ resolution: 'full' }) },
  { name: 'bad-edition', check: '5.11', what: 'requires_resolve_edition "pro"', touches: ['requires_resolve_edition'], apply: set({ requires_resolve_edition: 'pro' }) },
  { name: 'missing-source', check: '6', what: 'a missing source', touches: ['sources'], apply: set({ sources: [mediaPath('missing.mov')] }) },
  { name: 'empty-sources', check: '6.1', what: 'empty sources', touches: ['sources'], apply: set({ sources: [] }) },
  { name: 'bad-pair', check: '6.2', what: 'h264 in webm', touches: ['container'], apply: set({ container: 'webm' }) },
  { name: 'unknown-token', check: '6.3', what: 'an unknown token', touches: ['naming_template'], apply: set({ naming_template: '{source_name}_{take}' }) },
  { name: 'fps-unset', check: '6.4', what: 'fps_mode explicit without fps_explicit', touches: ['fps_mode', 'fps_explicit'], apply: set({ fps_mode: 'explicit' }) },
  {
    name: 'multi-clip-template', check: '6.5', what: 'two clips and a template without {index} or {source_name}', touches: ['sources', 'naming_template'],
    apply: both(set({ sources: [mediaPath('clip.mov'), mediaPath('clip2.mov')], naming_template: 'proxy' }), addMedia('clip2.mov')),
  },
  { name: 'lut-set', check: '6.6', what: 'lut_id set', touches: ['lut_id'], apply: set({ lut_id: 'rec709' }) },
  { name: 'output-dir-missing', check: '6.7', what: 'a missing output directory', touches: ['output_directory'], apply: set({ output_directory: '{ROOT}/nowhere' }) },
  { name: 'routing', check: '7', what: 'a RAW source', touches: ['sources'], apply: both(set({ sources: [mediaPath('clip.r3d')] }), addMedia('clip.r3d')) },
  { name: 'profile-missing', check: '7', what: 'proxy_profile missing', touches: ['proxy_profile'], apply: drop('proxy_profile') },
  { name: 'profile-unknown', check: '7', what: 'an unknown proxy_profile', touches: ['proxy_profile'], apply: set({ proxy_profile: 'proxy_h265' }) },
  { name: 'profile-resolve', check: '7', what: 'a Resolve proxy_profile', touches: ['proxy_profile'], apply: set({ proxy_profile: 'proxy_prores_proxy_resolve' }) },
  { name: 'resolve-preset', check: '7', what: 'resolve_preset set', touches: ['resolve_preset'], apply: set({ resolve_preset: 'Proxy' }) },
  { name: 'profile-mismatch', check: '7', what: 'a resolution the profile does not produce', touches: ['resolution'], apply: set({ resolution: 'quarter' }) },
  { name: 'unsafe-name', check: '8', what: 'an unsafe output name', touches: ['naming_template'], apply: set({ naming_template: '../{source_name}' }) },
  {
    name: 'name-collision', check: '8', what: 'two clips resolving to one name', touches: ['sources', 'naming_template'],
    apply: both(set({ sources: [mediaPath('a/clip.mov'), mediaPath('b/clip.mov')], naming_template: '{source_name}' }), addMedia('a/clip.mov'), addMedia('b/clip.mov')),
  },
  {
    name: 'output-exists', check: '8', what: 'an existing output', touches: ['out/clip_proxy.mp4'],
    apply: (d) => ({ ...d, tree: { ...d.tree, 'out/clip_proxy.mp4': 'an earlier proxy\n' } }),
  },
  {
    name: 'ffmpeg-fails', check: '9', what: 'an FFmpeg run that would fail', touches: ['media/clip.mov'],
    apply: (d) => ({ ...d, tree: { ...d.tree, 'media/clip.mov': media({ exit: 1, stderr: 'Conversion failed!\n' }) } }),
  },
];

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
          contract: first.check,
          tree,
        }),
      );
    }
  });
  return scenarios;
}

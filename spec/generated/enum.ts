// Family `enum`: every value of every closed vocabulary of SPEC section 5 (codec, container,
// resolution, fps_mode, requires_resolve_edition, and jobspec_version) spelled exactly, in UPPER and in
// Mixed case, with and without the leading dot the container may carry, and its near misses: a trailing
// or leading space, a dropped last letter, an empty string, look-alikes. Case-insensitive vocabularies
// must accept the case variants and keep the raw spelling (it shows in output names and messages);
// case-sensitive ones (fps_mode, requires_resolve_edition) must refuse them.
// Each JobSpec is made consistent around the value under test (a matching container and profile where
// one exists), so a valid spelling runs as far as the spec lets it and shows where it stops.

import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import type { JobSpecDraft } from './base.ts';
import { baseJobSpec, defaultTree, generated, shown, slug, withFields } from './base.ts';

const CODECS = ['prores_proxy', 'prores_lt', 'prores_standard', 'prores_hq', 'prores_4444', 'h264', 'h265', 'hevc', 'dnxhd', 'dnxhr', 'vp9', 'av1'];
const CONTAINERS = ['mov', 'mp4', 'mkv', 'webm', 'mxf'];
const RESOLUTIONS = ['same', 'half', 'quarter'];
const FPS_MODES = ['same-as-source', 'explicit'];
const EDITIONS = ['either', 'free', 'studio'];

/** The FFmpeg profile (and its codec, container, scale) that fits a value, so the job can complete. */
interface Setting {
  readonly codec: string;
  readonly container: string;
  readonly resolution: string;
  readonly proxy_profile: string;
}
const H264_LOW: Setting = { codec: 'h264', container: 'mp4', resolution: 'half', proxy_profile: 'proxy_h264_low' };
const PRORES_PROXY: Setting = { codec: 'prores_proxy', container: 'mov', resolution: 'same', proxy_profile: 'proxy_prores_proxy' };
const PROFILE_OF_CODEC: Readonly<Record<string, Setting>> = {
  h264: H264_LOW,
  prores_proxy: PRORES_PROXY,
  prores_lt: { ...PRORES_PROXY, codec: 'prores_lt', proxy_profile: 'proxy_prores_lt' },
  dnxhr: { codec: 'dnxhr', container: 'mxf', resolution: 'same', proxy_profile: 'proxy_dnxhr_lb' },
};
/** A container each codec pairs with (R6.5), for codecs no FFmpeg profile produces. */
const PAIRED_CONTAINER: Readonly<Record<string, string>> = {
  prores_standard: 'mov', prores_hq: 'mov', prores_4444: 'mov', h265: 'mp4', hevc: 'mp4', dnxhd: 'mxf', vp9: 'webm', av1: 'mkv',
};
const CODEC_OF_CONTAINER: Readonly<Record<string, Setting>> = {
  mov: PRORES_PROXY,
  mp4: H264_LOW,
  mxf: PROFILE_OF_CODEC['dnxhr'] ?? H264_LOW,
  mkv: { ...H264_LOW, container: 'mkv' },
  webm: { ...H264_LOW, codec: 'vp9', container: 'webm' },
};
const PROFILE_OF_RESOLUTION: Readonly<Record<string, Setting>> = {
  same: PRORES_PROXY,
  half: H264_LOW,
  quarter: { ...H264_LOW, resolution: 'quarter', proxy_profile: 'proxy_h264_quarter' },
};

interface Variant {
  readonly name: string;
  readonly value: string;
  readonly what: string;
}

/** Variant names a case-insensitive vocabulary accepts; case-sensitive ones accept only `exact`. */
const CASE_INSENSITIVE_OK = new Set(['exact', 'upper', 'mixed', 'dot', 'dot-upper']);

function mixedCase(value: string): string {
  return value.replace(/[a-z]/, (c) => c.toUpperCase());
}

/** exact, UPPER, Mixed (when they differ), then the near misses every value gets. */
function variantsOf(value: string): Variant[] {
  const all: Variant[] = [
    { name: 'exact', value, what: 'spelled exactly' },
    { name: 'upper', value: value.toUpperCase(), what: 'in upper case' },
    { name: 'mixed', value: mixedCase(value), what: 'in mixed case' },
    { name: 'trailing-space', value: `${value} `, what: 'with a trailing space' },
    { name: 'leading-space', value: ` ${value}`, what: 'with a leading space' },
    { name: 'truncated', value: value.slice(0, -1), what: 'missing its last letter' },
  ];
  return all.filter((v, i) => all.findIndex((w) => w.value === v.value) === i);
}

/**
 * `requirement`: the SPEC check of this vocabulary. An accepted spelling that is not the exact one (its name
 * does not end in `exact`) also pins
 * R5.20 (comparisons fold ASCII case, the raw spelling is kept).
 */
function enumScenario(field: string, name: string, spec: JobSpecDraft, value: string, what: string, requirement: string, accepted: boolean): LoadedScenario {
  const folded = accepted && !/(^|-)exact$/.test(name);
  return generated({
    family: 'enum',
    name: `${field.replace(/_/g, '-')}-${name}`,
    description: `${field} ${shown(value)} (${what}) is ${accepted ? 'accepted' : 'refused'} by check ${requirement}`,
    requirements: folded ? [requirement, 'R5.20'] : [requirement],
    tree: defaultTree(spec),
  });
}

function codecScenarios(): LoadedScenario[] {
  return CODECS.flatMap((codec) => {
    const setting = PROFILE_OF_CODEC[codec] ?? { ...H264_LOW, container: PAIRED_CONTAINER[codec] ?? 'mp4' };
    return variantsOf(codec).map((v) => {
      // {codec} in the name shows that the raw spelling is kept.
      const spec = withFields(baseJobSpec(), { ...setting, codec: v.value, naming_template: '{source_name}_{codec}' });
      return enumScenario('codec', `${slug(codec)}-${v.name}`, spec, v.value, v.what, 'R5.15', CASE_INSENSITIVE_OK.has(v.name));
    });
  });
}

function containerScenarios(): LoadedScenario[] {
  return CONTAINERS.flatMap((container) => {
    const setting = CODEC_OF_CONTAINER[container] ?? H264_LOW;
    const dotted: Variant[] = [
      { name: 'dot', value: `.${container}`, what: 'with one leading dot' },
      { name: 'dot-upper', value: `.${container.toUpperCase()}`, what: 'upper case with one leading dot' },
      { name: 'double-dot', value: `..${container}`, what: 'with two leading dots' },
      { name: 'trailing-dot', value: `${container}.`, what: 'with a trailing dot' },
    ];
    return [...variantsOf(container), ...dotted].map((v) => {
      const spec = withFields(baseJobSpec(), { ...setting, container: v.value });
      return enumScenario('container', `${container}-${v.name}`, spec, v.value, v.what, 'R5.16', CASE_INSENSITIVE_OK.has(v.name));
    });
  });
}

function resolutionScenarios(): LoadedScenario[] {
  const keywords = RESOLUTIONS.flatMap((resolution) =>
    variantsOf(resolution).map((v) => {
      const setting = PROFILE_OF_RESOLUTION[resolution] ?? H264_LOW;
      const spec = withFields(baseJobSpec(), { ...setting, resolution: v.value, naming_template: '{source_name}_{resolution}' });
      return enumScenario('resolution', `${resolution}-${v.name}`, spec, v.value, v.what, 'R5.18', CASE_INSENSITIVE_OK.has(v.name));
    }),
  );
  // WIDTHxHEIGHT is ^\d+x\d+$ after ASCII lowercasing: it parses, then matches no FFmpeg profile (7).
  const explicitOk = new Set(['wxh', 'wxh-upper-x', 'wxh-zero']);
  const explicit: Variant[] = [
    { name: 'wxh', value: '1920x1080', what: 'explicit WIDTHxHEIGHT' },
    { name: 'wxh-upper-x', value: '1920X1080', what: 'explicit with an upper-case X' },
    { name: 'wxh-zero', value: '0x0', what: 'explicit zero size, which the pattern allows' },
    { name: 'wxh-trailing-space', value: '1920x1080 ', what: 'explicit with a trailing space' },
    { name: 'wxh-spaced', value: '1920 x 1080', what: 'explicit with spaces around the x' },
    { name: 'wxh-no-height', value: '1920x', what: 'explicit without a height' },
    { name: 'wxh-no-width', value: 'x1080', what: 'explicit without a width' },
    { name: 'wxh-negative', value: '-1920x1080', what: 'explicit with a minus sign' },
    { name: 'wxh-star', value: '1920*1080', what: 'explicit with * instead of x' },
    { name: 'wxh-times-sign', value: '1920\u00d71080', what: 'explicit with the multiplication sign U+00D7' },
    { name: 'wxh-fullwidth-digits', value: '\uff11\uff19\uff12\uff10x1080', what: 'explicit with full-width digits' },
    { name: 'wxh-three-parts', value: '1920x1080x3', what: 'explicit with three parts' },
    { name: 'wxh-suffix', value: '1080p', what: 'a common name that is not WIDTHxHEIGHT' },
    { name: 'empty', value: '', what: 'empty' },
  ];
  return [
    ...keywords,
    ...explicit.map((v) =>
      enumScenario('resolution', v.name, withFields(baseJobSpec(), { resolution: v.value }), v.value, v.what, 'R5.18', explicitOk.has(v.name)),
    ),
  ];
}

function caseSensitiveScenarios(field: string, values: readonly string[], extra: JobSpecDraft, requirement: string): LoadedScenario[] {
  return values.flatMap((value) =>
    variantsOf(value).map((v) =>
      enumScenario(field, `${value}-${v.name}`, withFields(baseJobSpec(), { ...extra, [field]: v.value }), v.value, v.what, requirement, v.name === 'exact'),
    ),
  );
}

function extraScenarios(): LoadedScenario[] {
  const one = (field: string, name: string, value: string, what: string, requirement: string, extra: JobSpecDraft = {}): LoadedScenario =>
    enumScenario(field, name, withFields(baseJobSpec(), { ...extra, [field]: value }), value, what, requirement, value === '2.1');
  return [
    one('codec', 'empty', '', 'empty', 'R5.15'),
    one('codec', 'dotted', 'h.264', 'with a dot', 'R5.15'),
    one('codec', 'hyphenated', 'prores-proxy', 'with a hyphen for the underscore', 'R5.15', { ...PRORES_PROXY, naming_template: '{source_name}' }),
    one('codec', 'encoder-name', 'libx264', "FFmpeg's encoder name instead of the codec", 'R5.15'),
    one('container', 'empty', '', 'empty', 'R5.16'),
    one('container', 'dot-only', '.', 'a lone dot', 'R5.16'),
    // U+212A KELVIN SIGN lowercases to "k" with String#toLowerCase: a look-alike must not pass as mkv.
    one('container', 'kelvin-sign', 'm\u212av', 'with U+212A KELVIN SIGN for k', 'R5.16'),
    one('fps_mode', 'underscored', 'same_as_source', 'with underscores for hyphens', 'R5.17', { fps_explicit: 25 }),
    one('fps_mode', 'empty', '', 'empty', 'R5.17', { fps_explicit: 25 }),
    one('requires_resolve_edition', 'empty', '', 'empty', 'R5.19'),
    one('requires_resolve_edition', 'both', 'both', 'a plausible but unknown edition', 'R5.19'),
    ...['2.10', '2.1.0', 'v2.1', '2', '2.0', '3.0', '', '2,1'].map((version) =>
      one('jobspec_version', `other-${slug(version.replace(',', 'comma')) || 'empty'}`, version, 'a string other than "2.1"', 'R5.11'),
    ),
    ...variantsOf('2.1').filter((v) => v.name !== 'upper' && v.name !== 'mixed').map((v) => one('jobspec_version', v.name, v.value, v.what, 'R5.11')),
  ];
}

export function enumScenarios(): LoadedScenario[] {
  return [
    ...codecScenarios(),
    ...containerScenarios(),
    ...resolutionScenarios(),
    ...caseSensitiveScenarios('fps_mode', FPS_MODES, { fps_explicit: 25 }, 'R5.17'),
    ...caseSensitiveScenarios('requires_resolve_edition', EDITIONS, {}, 'R5.19'),
    ...extraScenarios(),
  ];
}

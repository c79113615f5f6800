// Family `wrong-type`: every one of the 18 JobSpec fields given every JSON type that is wrong for it
// (null for the non-nullable ones included), and `sources` holding one item of each wrong type. Each
// JobSpec is otherwise valid, so the type check (SPEC R5.14) is what fails; for `jobspec_version` the
// version check (R5.11) comes first and names the value instead.
// The field types are copied from SPEC.md's table (R5.1), not derived from the implementation's schema,
// so a schema that drifted from the spec shows up as a changed golden.

import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import type { JobSpecDraft, PathStyle } from './base.ts';
import { baseJobSpec, defaultTree, generated, JOB_ID, mediaPath, shown, withFields } from './base.ts';

type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';
const JSON_TYPES: readonly JsonType[] = ['string', 'number', 'boolean', 'null', 'array', 'object'];

/** SPEC R5.1: the JSON types each field accepts, and a valid value of it. */
const FIELDS: Readonly<Record<string, { readonly types: readonly JsonType[]; readonly valid: unknown }>> = {
  jobspec_version: { types: ['string'], valid: '2.1' },
  sources: { types: ['array'], valid: mediaPath('clip.mov') },
  output_directory: { types: ['string'], valid: '{ROOT}/out' },
  codec: { types: ['string'], valid: 'h264' },
  container: { types: ['string'], valid: 'mp4' },
  resolution: { types: ['string'], valid: 'half' },
  naming_template: { types: ['string'], valid: '{source_name}_proxy' },
  job_id: { types: ['string'], valid: JOB_ID },
  fps_mode: { types: ['string'], valid: 'same-as-source' },
  fps_explicit: { types: ['number', 'null'], valid: 25 },
  proxy_profile: { types: ['string', 'null'], valid: 'proxy_h264_low' },
  resolve_preset: { types: ['string', 'null'], valid: 'Proxy' },
  requires_resolve_edition: { types: ['string'], valid: 'either' },
  resolved_tokens: { types: ['object'], valid: { shot: 'A001' } },
  created_at: { types: ['string'], valid: '2026-03-04T05:06:07Z' },
  lut_id: { types: ['string', 'null'], valid: 'rec709' },
  lut_applied: { types: ['boolean'], valid: false },
  lut_engine: { types: ['string', 'null'], valid: 'ffmpeg' },
};

/** A plausible wrong value: the mistakes people make (a number for a version, a list of one codec, …). */
function wrongValue(field: string, type: JsonType, valid: unknown): unknown {
  switch (type) {
    case 'string':
      return field === 'resolved_tokens' ? '{}' : JSON.stringify(valid).replace(/^"|"$/g, '');
    case 'number':
      return field === 'jobspec_version' ? 2.1 : field === 'resolution' ? 1080 : field === 'job_id' ? 12345678 : 7;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return field === 'resolved_tokens' ? [] : [valid];
    case 'object':
      return { value: valid };
  }
}

function scenarioFor(field: string, name: string, value: unknown, what: string): LoadedScenario {
  // A job_id that is not a string falls back to the hash of the file's bytes: relative paths keep those
  // bytes free of the temporary root, so the scenario stays portable.
  const style: PathStyle = field === 'job_id' ? 'relative' : 'root';
  const spec: JobSpecDraft = withFields(baseJobSpec(style), { [field]: value });
  const isVersion = field === 'jobspec_version';
  return generated({
    family: 'wrong-type',
    name,
    description: isVersion
      ? `jobspec_version given ${what} ${shown(value)} fails the version check, which runs before the type checks`
      : `'${field}' given ${what} ${shown(value)} is a contract violation: invalid type for field '${field}'`,
    requirements: isVersion ? ['R5.11', 'R5.2'] : ['R5.14'],
    tags: ['hostile'],
    tree: defaultTree(spec),
  });
}

export function wrongTypeScenarios(): LoadedScenario[] {
  const scenarios: LoadedScenario[] = [];
  for (const [field, { types, valid }] of Object.entries(FIELDS)) {
    for (const type of JSON_TYPES.filter((t) => !types.includes(t))) {
      const article = type === 'array' || type === 'object' ? 'an' : 'a';
      const what = type === 'null' ? 'null' : `${article} ${type}`;
      scenarios.push(scenarioFor(field, `${field}-${type}`, wrongValue(field, type, valid), what));
    }
  }
  // An array is the right type for sources only when every item is a string.
  const path = mediaPath('clip.mov');
  for (const type of JSON_TYPES.filter((t) => t !== 'string')) {
    const item = type === 'array' ? [path] : type === 'object' ? { path } : wrongValue('sources', type, path);
    scenarios.push(scenarioFor('sources', `sources-item-${type}`, [path, item], `an array with a ${type} item`));
  }
  return scenarios;
}

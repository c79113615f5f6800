import { readFileSync } from 'node:fs';
import Schema from 'typebox/schema';
import { describe, it, expect } from 'vitest';
import { PROFILE_NAMES, findProfile } from '../../src/engine/profiles.ts';
import { parseJobSpec } from '../../src/jobspec/parse.ts';
import {
  CODECS,
  CONTAINERS,
  FPS_MODES,
  KNOWN_FIELDS,
  REQUIRED_FIELDS,
  RESOLUTION_KEYWORDS,
  RESOLVE_EDITIONS,
  checkFieldType,
  describeFieldType,
  JobSpecSchema,
  type KnownField,
} from '../../src/jobspec/schema.ts';
import { EXAMPLE_JOBSPEC, JOBSPEC_SCHEMA_ID, jobSpecJsonSchema } from '../../src/jobspec/json-schema.ts';

// Contract section 5, copied from the table: the test's independent statement of the schema.
const CONTRACT_TABLE: ReadonlyArray<[KnownField, string, boolean]> = [
  ['jobspec_version', 'string', true],
  ['sources', 'array of strings', true],
  ['output_directory', 'string', true],
  ['codec', 'string', true],
  ['container', 'string', true],
  ['resolution', 'string', true],
  ['naming_template', 'string', true],
  ['job_id', 'string', false],
  ['fps_mode', 'string', false],
  ['fps_explicit', 'number or null', false],
  ['proxy_profile', 'string or null', false],
  ['resolve_preset', 'string or null', false],
  ['requires_resolve_edition', 'string', false],
  ['resolved_tokens', 'object', false],
  ['created_at', 'string', false],
  ['lut_id', 'string or null', false],
  ['lut_applied', 'boolean', false],
  ['lut_engine', 'string or null', false],
];

const isSorted = (values: readonly string[]): boolean => values.every((v, i) => i === 0 || (values[i - 1] ?? '') < v);

describe('JobSpec 2.1 schema', () => {
  it('knows exactly the 18 contract keys, sorted by code unit', () => {
    expect(KNOWN_FIELDS).toHaveLength(18);
    expect(isSorted(KNOWN_FIELDS)).toBe(true);
    expect([...KNOWN_FIELDS]).toEqual(CONTRACT_TABLE.map(([key]) => key).sort());
  });

  it('requires exactly the contract’s required keys, sorted', () => {
    expect(isSorted(REQUIRED_FIELDS)).toBe(true);
    expect([...REQUIRED_FIELDS]).toEqual(CONTRACT_TABLE.filter(([, , required]) => required).map(([key]) => key).sort());
  });

  it.each(CONTRACT_TABLE)('describes %s as %s', (key, type) => {
    expect(describeFieldType(key)).toBe(type);
  });

  it('checks base JSON types only', () => {
    expect(checkFieldType('sources', ['a', 'b'])).toBe(true);
    expect(checkFieldType('sources', [])).toBe(true);
    expect(checkFieldType('sources', ['a', 1])).toBe(false);
    expect(checkFieldType('fps_explicit', null)).toBe(true);
    expect(checkFieldType('fps_explicit', -0)).toBe(true);
    expect(checkFieldType('fps_explicit', '24')).toBe(false);
    expect(checkFieldType('codec', 'not-a-codec')).toBe(true);
    expect(checkFieldType('codec', null)).toBe(false);
    expect(checkFieldType('resolved_tokens', Object.create(null))).toBe(true);
    expect(checkFieldType('resolved_tokens', [])).toBe(false);
    expect(checkFieldType('resolved_tokens', null)).toBe(false);
    expect(checkFieldType('lut_applied', 0)).toBe(false);
  });

  it('exports the enum vocabularies sorted, as the messages list them', () => {
    expect(CODECS).toHaveLength(12);
    for (const values of [CODECS, CONTAINERS, FPS_MODES, RESOLVE_EDITIONS, RESOLUTION_KEYWORDS]) {
      expect(isSorted(values)).toBe(true);
    }
    expect([...CONTAINERS]).toEqual(['mkv', 'mov', 'mp4', 'mxf', 'webm']);
  });

  it('publishes a plain JSON Schema that matches the committed file', () => {
    const schema = jobSpecJsonSchema();
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['additionalProperties']).toBe(false);
    expect(Object.keys(schema['properties'] as object).sort()).toEqual([...KNOWN_FIELDS]);
    const committed = readFileSync(new URL('../../schema/jobspec-2.1.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(`${JSON.stringify(schema, null, 2)}\n`);
  });
});

/** The published schema's property for `key`, as the test reads it. */
interface PublishedProperty {
  readonly [keyword: string]: unknown;
  readonly description?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly enumDescriptions?: readonly string[];
  readonly anyOf?: ReadonlyArray<{ readonly enum?: readonly unknown[]; readonly enumDescriptions?: readonly string[]; readonly pattern?: string }>;
}

const published = jobSpecJsonSchema();
const property = (key: KnownField): PublishedProperty => (published['properties'] as Record<string, PublishedProperty>)[key] ?? {};
/** The canonical spellings a case-insensitive field offers (its `anyOf` branch with an `enum`). */
const offered = (key: KnownField): readonly unknown[] => property(key).anyOf?.find((branch) => branch.enum)?.enum ?? [];

describe('the published JobSpec schema (for editors)', () => {
  it('keeps every keyword of JobSpecSchema, field by field: the types are never written twice', () => {
    const plain = JSON.parse(JSON.stringify(JobSpecSchema)) as { properties: Record<string, Record<string, unknown>>; required: unknown };
    expect(published['required']).toEqual(plain.required);
    for (const key of KNOWN_FIELDS) expect(property(key)).toMatchObject(plain.properties[key] ?? {});
  });

  it('leaves the vocabularies out of JobSpecSchema, which the runtime type checks read', () => {
    expect(JSON.stringify(JobSpecSchema)).not.toMatch(/"(enum|const|pattern)"/);
    expect(checkFieldType('codec', 'h246')).toBe(true);
    expect(checkFieldType('proxy_profile', 'no_such_profile')).toBe(true);
  });

  it('offers the runtime’s vocabularies, from the same constants', () => {
    expect(property('jobspec_version').const).toBe('2.1');
    expect(offered('codec')).toEqual([...CODECS]);
    expect(offered('container')).toEqual([...CONTAINERS]);
    expect(offered('resolution')).toEqual([...RESOLUTION_KEYWORDS]);
    expect(property('fps_mode').enum).toEqual([...FPS_MODES]);
    expect(property('requires_resolve_edition').enum).toEqual([...RESOLVE_EDITIONS]);
    expect(property('proxy_profile').enum).toEqual([...PROFILE_NAMES, null]);
  });

  it('names every profile of the engine, and says which of them this runner cannot run', () => {
    const { enum: names = [], enumDescriptions = [] } = property('proxy_profile');
    expect(PROFILE_NAMES).toHaveLength(10);
    for (const name of PROFILE_NAMES) {
      const profile = findProfile(name);
      const description = enumDescriptions[names.indexOf(name)] ?? '';
      if (profile?.engine === 'ffmpeg') expect(description).toContain(`codec ${profile.codec}, container ${profile.container}, resolution ${profile.scale}`);
      else expect(description).toContain('refused by this runner');
    }
  });

  it('describes every offered value and every field', () => {
    for (const key of KNOWN_FIELDS) {
      expect(property(key).description, key).toMatch(/\S/);
      const withValues = [property(key), ...(property(key).anyOf ?? [])].filter((s) => s.enumDescriptions !== undefined);
      for (const schema of withValues) expect(schema.enumDescriptions, key).toHaveLength(schema.enum?.length ?? -1);
    }
    expect(property('container').description).toContain('leading "." ignored');
  });

  it('has an $id, a title and, as its example, a JobSpec the parse checks accept', () => {
    expect(published['$id']).toBe(JOBSPEC_SCHEMA_ID);
    expect(published['title']).toBe('JobSpec 2.1');
    expect(published['examples']).toEqual([EXAMPLE_JOBSPEC]);
    expect(parseJobSpec(new TextEncoder().encode(JSON.stringify(EXAMPLE_JOBSPEC))).ok).toBe(true);
  });

  // The spellings the runner accepts, and near misses, for each vocabulary: the compiled schema must say
  // what parseJobSpec says (an editor that flags `H264` or passes `h246` would be wrong either way).
  const validator = Schema.Compile(published);
  const VARIANTS: ReadonlyArray<[KnownField, readonly string[]]> = [
    ['codec', ['h264', 'H264', 'ProRes_Proxy', 'HEVC', 'h246', 'h264 ', ' h264', '.h264', 'prores', '', 'prores_\u017Ftandard']],
    ['container', ['mov', 'MOV', '.mov', '.MoV', '..mov', 'mov.', 'mo', 'm\u212Aa', 'm\u212Av', 'mkv', 'M\u212AV']],
    ['resolution', ['half', 'HALF', 'Quarter', 'same', '1920x1080', '1920X1080', '0x0', 'x1080', '1920x', '1920 x 1080', '.half', '１920x1080']],
    ['fps_mode', ['explicit', 'same-as-source', 'Explicit', 'SAME-AS-SOURCE', 'same_as_source']],
    ['requires_resolve_edition', ['either', 'free', 'studio', 'Studio', 'any']],
    ['jobspec_version', ['2.1', '2.10', '2.1.0', ' 2.1']],
  ];
  it.each(VARIANTS)('accepts exactly the %s spellings the parse checks accept', (key, values) => {
    const verdicts = values.map((value) => {
      const spec = { ...EXAMPLE_JOBSPEC, [key]: value };
      return { value, parse: parseJobSpec(new TextEncoder().encode(JSON.stringify(spec))).ok, schema: validator.Check(spec) };
    });
    expect(verdicts.filter((v) => v.parse !== v.schema)).toEqual([]);
    // Both answers occur, so the comparison above is not vacuous.
    expect(new Set(verdicts.map((v) => v.parse))).toEqual(new Set([true, false]));
  });

  it('accepts null and every profile name, and nothing else, as proxy_profile', () => {
    for (const name of [...PROFILE_NAMES, null]) expect(validator.Check({ ...EXAMPLE_JOBSPEC, proxy_profile: name }), String(name)).toBe(true);
    for (const name of ['PROXY_H264_LOW', 'proxy_h264', '']) expect(validator.Check({ ...EXAMPLE_JOBSPEC, proxy_profile: name }), name).toBe(false);
  });
});

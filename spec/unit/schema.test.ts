import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
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
  jobSpecJsonSchema,
  type KnownField,
} from '../../src/jobspec/schema.ts';

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

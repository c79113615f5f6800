// The single definition of JobSpec 2.1 (contract section 5). The TypeScript type, the field lists, the
// type-check messages and the published JSON Schema file are all derived from JobSpecSchema, so they
// cannot drift apart. Enum vocabularies are not in the schema types: their checks run after the type
// checks, in a fixed order, with their own messages (parse.ts); the descriptions document them instead.
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';

/** Plain UTF-16 code-unit order, never locale-dependent (contract section 3). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Sorted, because every message lists them sorted (asserted in spec/unit/schema.test.ts).
/** The naming-template tokens of contract section 8, in the order the reason string lists them. */
export const KNOWN_TOKENS = ['{source_name}', '{source_ext}', '{job_id}', '{date}', '{time}', '{index}', '{codec}', '{resolution}'] as const;

export const CODECS = [
  'av1', 'dnxhd', 'dnxhr', 'h264', 'h265', 'hevc',
  'prores_4444', 'prores_hq', 'prores_lt', 'prores_proxy', 'prores_standard', 'vp9',
] as const;
export const CONTAINERS = ['mkv', 'mov', 'mp4', 'mxf', 'webm'] as const;
export const FPS_MODES = ['explicit', 'same-as-source'] as const;
export const RESOLVE_EDITIONS = ['either', 'free', 'studio'] as const;
export const RESOLUTION_KEYWORDS = ['half', 'quarter', 'same'] as const;

export type Codec = (typeof CODECS)[number];
export type Container = (typeof CONTAINERS)[number];

const list = (values: readonly string[]): string => values.join(', ');

export const JobSpecSchema = Type.Object(
  {
    jobspec_version: Type.String({ description: 'Must be exactly the string "2.1".' }),
    sources: Type.Array(Type.String(), {
      description: 'Media files, processed in this order. Non-empty; each must be an existing regular file.',
    }),
    output_directory: Type.String({ description: 'An existing directory; it is never created.' }),
    codec: Type.String({ description: `Case-insensitive, one of: ${list(CODECS)}.` }),
    container: Type.String({
      description: `Case-insensitive, one leading "." ignored, one of: ${list(CONTAINERS)}.`,
    }),
    resolution: Type.String({
      description: `Case-insensitive: ${list(RESOLUTION_KEYWORDS)}, or WIDTHxHEIGHT (e.g. 1920x1080).`,
    }),
    naming_template: Type.String({
      description:
        'Output file name without extension. Tokens: {source_name}, {source_ext}, {job_id}, {date}, {time}, ' +
        '{index}, {codec}, {resolution}. Multi-clip jobs need {index} or {source_name}.',
    }),
    job_id: Type.Optional(
      Type.String({ description: 'Defaults to the first 8 hex digits of the SHA-256 of the file bytes.' }),
    ),
    fps_mode: Type.Optional(
      Type.String({ description: `Case-sensitive, one of: ${list(FPS_MODES)}.`, default: 'same-as-source' }),
    ),
    fps_explicit: Type.Optional(
      Type.Union([Type.Number(), Type.Null()], {
        description: 'Frames per second; required and > 0 when fps_mode is "explicit".',
        default: null,
      }),
    ),
    proxy_profile: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'Proxy profile name; optional when parsing, required to execute.',
        default: null,
      }),
    ),
    resolve_preset: Type.Optional(
      Type.Union([Type.String(), Type.Null()], { description: 'Must be null or absent for FFmpeg jobs.', default: null }),
    ),
    requires_resolve_edition: Type.Optional(
      Type.String({ description: `Case-sensitive, one of: ${list(RESOLVE_EDITIONS)}.`, default: 'either' }),
    ),
    resolved_tokens: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'Accepted, not used.', default: {} }),
    ),
    created_at: Type.Optional(Type.String({ description: 'Accepted, not used.' })),
    lut_id: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: 'Must be null: LUTs are not supported by this runner.',
        default: null,
      }),
    ),
    lut_applied: Type.Optional(Type.Boolean({ description: 'Accepted, not used.', default: false })),
    lut_engine: Type.Optional(
      Type.Union([Type.String(), Type.Null()], { description: 'Accepted, not used.', default: null }),
    ),
  },
  { additionalProperties: false },
);

export type JobSpec = Static<typeof JobSpecSchema>;
export type KnownField = keyof typeof JobSpecSchema.properties;

export const KNOWN_FIELDS: readonly KnownField[] = (Object.keys(JobSpecSchema.properties) as KnownField[]).sort(
  compareCodeUnits,
);
export const REQUIRED_FIELDS: readonly KnownField[] = [...(JobSpecSchema.required as readonly KnownField[])].sort(
  compareCodeUnits,
);

export function isKnownField(key: string): key is KnownField {
  return Object.hasOwn(JobSpecSchema.properties, key);
}

/** The JSON Schema keywords describeFieldType understands; TypeBox schemas are plain JSON Schema. */
interface SchemaShape {
  readonly type?: string;
  readonly items?: SchemaShape;
  readonly anyOf?: readonly SchemaShape[];
}

function describeSchema(schema: SchemaShape): string {
  if (schema.anyOf) return schema.anyOf.map(describeSchema).join(' or ');
  if (schema.type === 'array' && schema.items) return `array of ${describeSchema(schema.items)}s`;
  if (schema.type !== undefined) return schema.type;
  throw new Error('describeFieldType: schema shape not covered');
}

/** "string", "array of strings", "number or null", … as used in the type-check messages. */
export function describeFieldType(key: KnownField): string {
  return describeSchema(JobSpecSchema.properties[key] as SchemaShape);
}

/** True when `value` has the base JSON type the schema gives `key`. */
export function checkFieldType(key: KnownField, value: unknown): boolean {
  const schema: TSchema = JobSpecSchema.properties[key];
  return Value.Check(schema, value);
}

/** The plain JSON Schema document published as schema/jobspec-2.1.schema.json. */
export function jobSpecJsonSchema(): Record<string, unknown> {
  // A JSON round trip drops TypeBox's internal markers and leaves exactly the JSON Schema keywords.
  const plain = JSON.parse(JSON.stringify(JobSpecSchema)) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'JobSpec 2.1',
    description:
      'A watch-folder job: transcode each source to a proxy. Generated from src/jobspec/schema.ts; do not edit. ' +
      'Enum values are listed in the descriptions and checked by the runner after the types.',
    ...plain,
  };
}

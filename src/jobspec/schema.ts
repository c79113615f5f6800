// The single definition of JobSpec 2.1 (contract section 5). The TypeScript type, the field lists, the
// type-check messages and the published JSON Schema file are all derived from JobSpecSchema, so they
// cannot drift apart. JobSpecSchema holds only keys, JSON types and defaults, because the runtime checks
// it with TypeBox Value key by key and its messages are pinned: the enum vocabularies are checked after
// the types, in a fixed order, with their own messages (parse.ts). The published file adds them, with a
// description of every field, in json-schema.ts, where the runtime checks never look.
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

export const JobSpecSchema = Type.Object(
  {
    jobspec_version: Type.String(),
    sources: Type.Array(Type.String()),
    output_directory: Type.String(),
    codec: Type.String(),
    container: Type.String(),
    resolution: Type.String(),
    naming_template: Type.String(),
    job_id: Type.Optional(Type.String()),
    fps_mode: Type.Optional(Type.String({ default: 'same-as-source' })),
    fps_explicit: Type.Optional(Type.Union([Type.Number(), Type.Null()], { default: null })),
    proxy_profile: Type.Optional(Type.Union([Type.String(), Type.Null()], { default: null })),
    resolve_preset: Type.Optional(Type.Union([Type.String(), Type.Null()], { default: null })),
    requires_resolve_edition: Type.Optional(Type.String({ default: 'either' })),
    resolved_tokens: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { default: {} })),
    created_at: Type.Optional(Type.String()),
    lut_id: Type.Optional(Type.Union([Type.String(), Type.Null()], { default: null })),
    lut_applied: Type.Optional(Type.Boolean({ default: false })),
    lut_engine: Type.Optional(Type.Union([Type.String(), Type.Null()], { default: null })),
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

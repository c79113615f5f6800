// The result file of contract section 10. The TypeBox schema is the one definition of its fields AND of
// their order: serialisation walks the schema's properties, so the order cannot drift from the type.

import Type from 'typebox';
import type { TSchema } from 'typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const FinalStatusSchema = Type.Union([Type.Literal('COMPLETED'), Type.Literal('FAILED'), Type.Literal('PARTIAL')]);

export const ClipResultSchema = Type.Object(
  {
    source_path: Type.String(),
    resolved_output_path: Type.String(),
    ffmpeg_command: Type.Array(Type.String()),
    exit_code: Type.Number(),
    output_exists: Type.Boolean(),
    output_size_bytes: Nullable(Type.Number()),
    status: Type.Union([Type.Literal('COMPLETED'), Type.Literal('FAILED')]),
    failure_reason: Nullable(Type.String()),
    validation_stage: Nullable(Type.Literal('execution')),
    engine_used: Type.Literal('ffmpeg'),
    proxy_profile_used: Type.String(),
    resolve_preset_used: Type.Null(),
    started_at: Type.String(),
    completed_at: Type.String(),
    duration_seconds: Type.Number(),
    stderr_tail: Type.String(),
    partial_output_path: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const ResultMetadataSchema = Type.Object(
  {
    jobspec_version: Type.String(),
    validation_error: Nullable(Type.String()),
    validation_stage: Nullable(Type.Union([Type.Literal('pre-job'), Type.Literal('validation')])),
    engine_used: Nullable(Type.Literal('ffmpeg')),
    resolve_preset_used: Type.Null(),
    proxy_profile_used: Nullable(Type.String()),
    resolve_edition_detected: Type.Null(),
    resolve_version_detected: Type.Null(),
    jobspec_path: Type.String(),
    result_written_at: Type.String(),
    failure_reason: Type.Optional(Type.String()),
    worker_id: Type.Integer({ minimum: 1 }),
    worker_started_at: Type.String(),
  },
  { additionalProperties: false },
);

export const RecoverySchema = Type.Object(
  {
    reason: Type.Literal('runner interrupted'),
    recovered_at: Type.String(),
    original_path: Type.String(),
  },
  { additionalProperties: false },
);

export const JobResultSchema = Type.Object(
  {
    job_id: Type.String(),
    final_status: FinalStatusSchema,
    clips: Type.Array(ClipResultSchema),
    started_at: Type.String(),
    completed_at: Type.String(),
    duration_seconds: Type.Number(),
    total_clips: Type.Number(),
    completed_clips: Type.Number(),
    failed_clips: Type.Number(),
    source_files: Type.Array(Type.String()),
    source_extensions: Type.Array(Type.String()),
    _metadata: ResultMetadataSchema,
    _recovery: Type.Optional(RecoverySchema),
  },
  { additionalProperties: false },
);

export type FinalStatus = Type.Static<typeof FinalStatusSchema>;
export type ClipResult = Type.Static<typeof ClipResultSchema>;
export type ResultMetadata = Type.Static<typeof ResultMetadataSchema>;
export type JobResult = Type.Static<typeof JobResultSchema>;

/** UTC ISO 8601 with milliseconds and an explicit `+00:00`, as the contract writes timestamps. */
export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+00:00');
}

export function durationSeconds(startMs: number, endMs: number): number {
  return Math.max(0, endMs - startMs) / 1000;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface ObjectSchemaLike {
  readonly properties: Record<string, TSchema>;
}

function hasProperties(schema: TSchema): schema is TSchema & ObjectSchemaLike {
  return typeof (schema as { properties?: unknown }).properties === 'object';
}

/** Copies `value` with object keys in schema order (nested objects and arrays of objects too). */
function ordered(schema: TSchema, value: unknown): Json {
  if (Array.isArray(value)) {
    const items = (schema as { items?: TSchema }).items;
    return value.map((v) => (items === undefined ? (v as Json) : ordered(items, v)));
  }
  if (value !== null && typeof value === 'object' && hasProperties(schema)) {
    const out: { [key: string]: Json } = {};
    const record = value as Record<string, unknown>;
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (record[key] !== undefined) out[key] = ordered(sub, record[key]);
    }
    return out;
  }
  return value as Json;
}

/** Canonical result file text: keys in contract order, 2-space indentation, trailing newline. */
export function serializeResult(result: JobResult): string {
  return `${JSON.stringify(ordered(JobResultSchema, result), null, 2)}\n`;
}

/** What a result file says of its job, read back leniently: a field it lacks, or holds in another type, is null. */
export interface ResultSummary {
  readonly jobId: string | null;
  readonly status: FinalStatus | null;
  readonly reason: string | null;
  readonly completedAt: string | null;
  /** `_metadata.jobspec_path`: where the JobSpec was when the result was written. */
  readonly jobspecPath: string | null;
}

const FINAL_STATUS_VALUES: readonly FinalStatus[] = ['COMPLETED', 'FAILED', 'PARTIAL'];

/** The summary of a parsed result file (recovery's committed temps, `status`'s latest results). */
export function summarizeResult(result: Readonly<Record<string, unknown>> | null): ResultSummary {
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const raw = result?.['_metadata'];
  const metadata = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  const reason = text(metadata?.['failure_reason']);
  const status = result?.['final_status'];
  return {
    jobId: text(result?.['job_id']),
    status: FINAL_STATUS_VALUES.find((known) => known === status) ?? null,
    reason,
    completedAt: text(result?.['completed_at']),
    jobspecPath: text(metadata?.['jobspec_path']),
  };
}

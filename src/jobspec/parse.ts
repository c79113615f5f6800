// Bytes → JobSpec or the reason it is not one: SPEC.md section 5, in the order it gives, first failure wins.
// Pure and total: any input yields a result, never an exception, so a bad file can never stop the runner.
import { createHash } from 'node:crypto';
import { parseStrictJson, type JsonObject, type JsonValue } from './json.ts';
import {
  CODECS,
  CONTAINERS,
  FPS_MODES,
  KNOWN_FIELDS,
  REQUIRED_FIELDS,
  RESOLUTION_KEYWORDS,
  RESOLVE_EDITIONS,
  checkFieldType,
  compareCodeUnits,
  describeFieldType,
  isKnownField,
  type JobSpec,
} from './schema.ts';

export type JobSpecParse = { ok: true; spec: JobSpec; jobId: string } | { ok: false; reason: string; jobId: string };

const CONTRACT = 'JobSpec contract violation: ';
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

export function parseJobSpec(bytes: Uint8Array): JobSpecParse {
  const fail = (reason: string, jobId = defaultJobId(bytes)): JobSpecParse => ({ ok: false, reason, jobId });

  if (UTF8_BOM.every((b, i) => bytes[i] === b)) return fail('Invalid JSON: file starts with a UTF-8 byte order mark');
  let text: string;
  try {
    // ignoreBOM only matters for the BOM case handled above; fatal makes bad bytes an error, not U+FFFD.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return fail('Invalid JSON: file is not valid UTF-8');
  }
  const parsed = parseStrictJson(text);
  if (!parsed.ok) return fail(`Invalid JSON: ${parsed.message}`);

  const value = parsed.value;
  if (jsonTypeName(value) !== 'object') return fail(`${CONTRACT}JobSpec must be a JSON object, got ${jsonTypeName(value)}`);
  const object = value as JsonObject;
  // The file's own job_id names the job even when a later check fails (contract section 10).
  const ownJobId = object['job_id'];
  const jobId = typeof ownJobId === 'string' ? ownJobId : defaultJobId(bytes);
  const reason = contractViolation(object);
  if (reason !== null) return fail(`${CONTRACT}${reason}`, jobId);
  return { ok: true, spec: object as unknown as JobSpec, jobId };
}

/** Checks 2–11 in contract order; null when the object is a valid JobSpec. */
function contractViolation(object: JsonObject): string | null {
  const keys = Object.keys(object);
  const version = object['jobspec_version'];
  if (version === undefined) {
    return "Missing required field 'jobspec_version'. JobSpec contract requires explicit versioning. Expected version: 2.1";
  }
  if (version !== '2.1') {
    return (
      `JobSpec version mismatch. Got version ${JSON.stringify(version)}, expected '2.1'. Version mismatches are hard ` +
      'failures to prevent silent incompatibility. If upgrading, regenerate the JobSpec with the current engine version.'
    );
  }

  const unknown = keys.filter((key) => !isKnownField(key)).sort(compareCodeUnits);
  if (unknown.length > 0) {
    return (
      `Unknown fields in JobSpec: [${unknown.join(', ')}]. JobSpec contract does not allow unknown fields. ` +
      `Known fields are: [${KNOWN_FIELDS.join(', ')}]`
    );
  }
  const missing = REQUIRED_FIELDS.filter((key) => !Object.hasOwn(object, key));
  if (missing.length > 0) return `Missing required fields in JobSpec: [${missing.join(', ')}]`;

  for (const key of KNOWN_FIELDS) {
    const field = object[key];
    if (field === undefined || checkFieldType(key, field)) continue;
    return `Invalid type for field '${key}': expected ${describeFieldType(key)}, got ${describeWrongType(key, field)}`;
  }

  // From here the types are known to be right, so the object can be read as a JobSpec.
  const spec = object as unknown as JobSpec;
  if (!includes(CODECS, normalizedCodec(spec))) {
    return `Invalid codec '${spec.codec}'. Allowed values are: [${CODECS.join(', ')}]`;
  }
  if (!includes(CONTAINERS, normalizedContainer(spec))) {
    return `Invalid container '${spec.container}'. Allowed values are: [${CONTAINERS.join(', ')}]`;
  }
  if (spec.fps_mode !== undefined && !includes(FPS_MODES, spec.fps_mode)) {
    return `Invalid fps_mode '${spec.fps_mode}'. Allowed values are: [${FPS_MODES.join(', ')}]`;
  }
  const resolution = normalizedResolution(spec);
  if (!includes(RESOLUTION_KEYWORDS, resolution) && !/^\d+x\d+$/.test(resolution)) {
    return (
      `Invalid resolution '${spec.resolution}'. Must be one of [${RESOLUTION_KEYWORDS.join(', ')}] or explicit ` +
      "WIDTHxHEIGHT (e.g., '1920x1080')"
    );
  }
  const edition = spec.requires_resolve_edition;
  if (edition !== undefined && !includes(RESOLVE_EDITIONS, edition)) {
    return `Invalid requires_resolve_edition '${edition}'. Allowed values are: [${RESOLVE_EDITIONS.join(', ')}]`;
  }
  return null;
}

/**
 * For `sources` (an array of strings), `array containing <t>` names the first offending element, which is
 * what the user has to fix; any other field that got an array just got the wrong type: `array`.
 */
function describeWrongType(key: string, value: JsonValue): string {
  if (key === 'sources' && Array.isArray(value)) {
    const bad = value.find((item) => typeof item !== 'string');
    if (bad !== undefined) return `array containing ${jsonTypeName(bad)}`;
  }
  return jsonTypeName(value);
}

function includes(values: readonly string[], value: string): boolean {
  return values.includes(value);
}

/** The job_id default: deterministic (a content hash), so the same file always gets the same id. */
export function defaultJobId(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 8);
}

/** JSON's own names for its value types, as used in messages. */
export function jsonTypeName(value: unknown): 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  return 'object';
}

// ASCII-only lowercasing: String#toLowerCase also folds characters such as U+212A KELVIN SIGN to
// ASCII, which would let a look-alike spelling pass the check while its raw text lands in file names.
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

export function normalizedCodec(spec: Pick<JobSpec, 'codec'>): string {
  return asciiLower(spec.codec);
}

/** Lowercase with one leading '.' stripped (".MOV" → "mov"; "..mov" stays invalid). */
export function normalizedContainer(spec: Pick<JobSpec, 'container'>): string {
  const lower = asciiLower(spec.container);
  return lower.startsWith('.') ? lower.slice(1) : lower;
}

export function normalizedResolution(spec: Pick<JobSpec, 'resolution'>): string {
  return asciiLower(spec.resolution);
}

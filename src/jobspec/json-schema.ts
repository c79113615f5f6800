// The published JSON Schema of JobSpec 2.1 (schema/jobspec-2.1.schema.json), for editors and other
// validators. Its structure (keys, JSON types, required keys, defaults) is JobSpecSchema's, copied by a
// JSON round trip, never written a second time. What this module adds is what the runtime checks must
// not see: they check JobSpecSchema's types with TypeBox key by key, and the vocabularies afterwards, in
// parse.ts, with messages of their own (both pinned by goldens); a vocabulary inside JobSpecSchema would
// turn an unknown codec into a type error. So the vocabularies are joined here, from the same constants
// the runtime uses: those of schema.ts, the codec → containers table of validate.ts and the engine's
// profile table.
//
// What the schema accepts: every JSON object that passes the parse checks (SPEC.md R5.9–R5.19) and whose
// proxy_profile is null, absent or one of the ten profile names. The later checks that relate fields to
// each other or to the disk (pairing, the profile matching codec/container/resolution, fps, sources,
// output names) are only described, in the descriptions: encoding them would make the schema a second
// implementation of the runner, and one that could reject a JobSpec the runner accepts.

import { FFMPEG_EXTENSIONS } from '../engine/routing.ts';
import { findProfile, PROFILE_NAMES, type FfmpegProfile, type Scale } from '../engine/profiles.ts';
import { sameCodec } from '../engine/select-profile.ts';
import type { JsonObject, JsonValue } from './json.ts';
import {
  CODECS,
  CONTAINERS,
  FPS_MODES,
  JobSpecSchema,
  KNOWN_TOKENS,
  RESOLUTION_KEYWORDS,
  RESOLVE_EDITIONS,
  type Codec,
  type Container,
  type KnownField,
} from './schema.ts';
import { CODEC_CONTAINERS } from './validate.ts';

/** A stable identifier, not a download address: the file is published with the package, not at a URL. */
export const JOBSPEC_SCHEMA_ID = 'urn:watchfolder-runner:schema:jobspec-2.1';

/**
 * The JobSpec the schema offers as its example (an editor proposes it in an empty file). It is
 * examples/proxy_h264_low.json, which spec/unit/examples.test.ts runs through the runner's checks.
 */
export const EXAMPLE_JOBSPEC: JsonObject = {
  jobspec_version: '2.1',
  sources: ['/media/incoming/A001_C003.mov', '/media/incoming/A001_C004.mov'],
  output_directory: '/media/proxies',
  codec: 'h264',
  container: 'mp4',
  resolution: 'half',
  naming_template: '{source_name}_proxy',
  proxy_profile: 'proxy_h264_low',
};

/** What an editor sees of one field beyond its JSON type. */
interface FieldDoc {
  readonly description: string;
  /** Vocabulary and example keywords: only validators of the published file read them. */
  readonly keywords?: Readonly<Record<string, JsonValue>>;
}

const list = (values: Iterable<string>): string => [...values].join(', ');
const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function ffmpegProfiles(): FfmpegProfile[] {
  return PROFILE_NAMES.flatMap((name) => {
    const profile = findProfile(name);
    return profile?.engine === 'ffmpeg' ? [profile] : [];
  });
}

/** "produced by proxy_a, proxy_b", or that no profile of this runner produces it. */
function madeBy(profiles: readonly FfmpegProfile[]): string {
  return profiles.length === 0 ? 'no profile of this runner produces it' : `produced by ${list(profiles.map((p) => p.name))}`;
}

const FPS_MODE_TEXT: Readonly<Record<(typeof FPS_MODES)[number], string>> = {
  explicit: 'The output rate is fps_explicit, which must then be set.',
  'same-as-source': 'The output keeps the source’s frame rate.',
};

const SCALE_TEXT: Readonly<Record<Scale, string>> = {
  same: 'the source’s size',
  half: 'width and height halved, rounded down to even',
  quarter: 'width and height quartered, rounded down to even',
};

/**
 * `h264` → `[Hh]264`: the runner folds only ASCII A–Z (R5.20), and so do these character classes. The
 * `(?i)` prefix that VS Code understands is no JSON Schema (ECMA-262 patterns have no flags): other
 * validators throw on it (TypeBox: "Invalid group").
 */
function asciiCaseInsensitive(value: string): string {
  return [...value]
    .map((c) => (/[a-z]/.test(c) ? `[${c.toUpperCase()}${c}]` : c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')))
    .join('');
}

/**
 * A vocabulary the runner compares without ASCII case: `anyOf` an `enum` of the canonical spellings and a
 * pattern that also admits their case variants (and whatever `extra` alternatives the field has). VS
 * Code's JSON language service proposes the values of an `enum` in every `anyOf` branch, with their
 * `enumDescriptions`, and, as any validator, accepts a value that matches either branch, so `H264` and
 * `.MOV`, which the runner accepts, are never flagged. An `enum` alone would flag them; a pattern alone
 * would complete nothing (and `examples` would offer the values without describing them). Both branches
 * carry the same message (`errorMessage`, `patternErrorMessage`, and `enumDescriptions` too, are VS
 * Code's keywords, ignored by other validators): VS Code reports the branch that came closest, and
 * without them that could be a 300-character regex.
 */
function caseInsensitiveVocabulary(
  values: readonly string[],
  descriptions: readonly string[],
  { prefix = '', extra = [], message }: { prefix?: string; extra?: readonly string[]; message: string },
): Record<string, JsonValue> {
  const alternatives = [...values.map(asciiCaseInsensitive), ...extra].join('|');
  return {
    anyOf: [
      { enum: [...values], enumDescriptions: [...descriptions], errorMessage: message },
      { pattern: `^${prefix}(?:${alternatives})$`, patternErrorMessage: message },
    ],
  };
}

function fieldDocs(): Readonly<Record<KnownField, FieldDoc>> {
  const profiles = ffmpegProfiles();
  const codecsIn = (container: Container): Codec[] => CODECS.filter((codec) => CODEC_CONTAINERS[codec].includes(container));
  return {
    jobspec_version: {
      description: 'Always the string "2.1": any other value, the number 2.1 included, is refused (SPEC.md R5.11).',
      keywords: { const: '2.1' },
    },
    sources: {
      description:
        'The media files, encoded in this order, one output each; a relative path is resolved against the ' +
        'runner’s working directory. At least one, and each an existing regular file when the job runs. ' +
        `Each must route to FFmpeg by its extension (any case): ${list(FFMPEG_EXTENSIONS)}; RAW camera ` +
        'files and image sequences are refused.',
      keywords: { examples: [['/media/incoming/A001_C003.mov']] },
    },
    output_directory: {
      description:
        'Where the outputs go: an existing directory (it is never created), resolved against the runner’s ' +
        'working directory when relative. An existing file is never replaced: the job fails instead.',
      keywords: { examples: ['/media/proxies'] },
    },
    codec: {
      description:
        `Case-insensitive (ASCII), one of: ${list(CODECS)}. It must be the codec proxy_profile produces ` +
        '(h265 and hevc are the same) and pair with container (SPEC.md R6.5).',
      keywords: caseInsensitiveVocabulary(
        CODECS,
        CODECS.map(
          (codec) =>
            `In ${list(CODEC_CONTAINERS[codec])}; ${madeBy(profiles.filter((p) => sameCodec(codec, p.codec)))}.`,
        ),
        { message: `Unknown codec: use one of ${list(CODECS)} (any ASCII case).` },
      ),
    },
    container: {
      description:
        `Case-insensitive (ASCII), one leading "." ignored (".MOV" is mov), one of: ${list(CONTAINERS)}. ` +
        'It is the output file extension, must pair with codec (SPEC.md R6.5) and be the container ' +
        'proxy_profile produces.',
      keywords: caseInsensitiveVocabulary(
        CONTAINERS,
        CONTAINERS.map(
          (container) =>
            `For ${list(codecsIn(container))}; ${madeBy(profiles.filter((p) => p.container === container))}.`,
        ),
        { prefix: '\\.?', message: `Unknown container: use one of ${list(CONTAINERS)} (any ASCII case, one leading "." allowed).` },
      ),
    },
    resolution: {
      description:
        `Case-insensitive (ASCII): ${list(RESOLUTION_KEYWORDS)}, the picture size proxy_profile produces; ` +
        'or WIDTHxHEIGHT (e.g. 1920x1080), which passes the parse checks but matches no profile of this ' +
        'runner (SPEC.md R7.10).',
      keywords: caseInsensitiveVocabulary(
        RESOLUTION_KEYWORDS,
        RESOLUTION_KEYWORDS.map(
          (scale) => `${capitalized(SCALE_TEXT[scale])}; ${madeBy(profiles.filter((p) => p.scale === scale))}.`,
        ),
        {
          extra: ['[0-9]+[Xx][0-9]+'],
          message: `Unknown resolution: use one of ${list(RESOLUTION_KEYWORDS)} or WIDTHxHEIGHT (any ASCII case).`,
        },
      ),
    },
    naming_template: {
      description:
        'The output file name without its extension (the container is appended). Tokens: ' +
        `${list(KNOWN_TOKENS)}; any other {…} is refused. A job with more than one source needs {index} ` +
        'or {source_name}. The resolved name must be one safe file name (SPEC.md section 8).',
      keywords: { examples: ['{source_name}_proxy', '{job_id}_{index}_{source_name}'] },
    },
    job_id: {
      description:
        'Names the job and fills {job_id}. Without it, the job id is the first 8 hexadecimal digits of the ' +
        'SHA-256 of the file’s bytes.',
      keywords: { examples: ['reel_A001'] },
    },
    fps_mode: {
      description: `Case-sensitive, one of: ${list(FPS_MODES)}.`,
      keywords: {
        enum: [...FPS_MODES],
        enumDescriptions: FPS_MODES.map((mode) => FPS_MODE_TEXT[mode]),
      },
    },
    fps_explicit: {
      description:
        'Frames per second, a number > 0 whatever fps_mode says; required when fps_mode is "explicit", ' +
        'ignored otherwise. 23.976, 29.97, 59.94, … mean the exact NTSC rates (30000/1001, …); the MXF ' +
        'profile takes only the rates MXF carries (SPEC.md R7.11).',
      keywords: { examples: [23.976, 25] },
    },
    proxy_profile: {
      description:
        'The proxy profile (case-sensitive), the only way to choose the output settings: a job without one ' +
        'is refused when it runs (SPEC.md R7.6). codec, container and resolution must be what it produces. ' +
        'The *_resolve profiles are known to JobSpec 2.1 but need the Resolve engine, which this runner ' +
        'does not provide (SPEC.md R7.8).',
      keywords: {
        // At the field's level beside its `anyOf` of string and null, so null stays allowed.
        enum: [...PROFILE_NAMES, null],
        enumDescriptions: [
          ...PROFILE_NAMES.map((name) => {
            const profile = findProfile(name);
            return profile?.engine === 'ffmpeg'
              ? `codec ${profile.codec}, container ${profile.container}, resolution ${profile.scale} (${SCALE_TEXT[profile.scale]}).`
              : 'A Resolve profile: refused by this runner.';
          }),
          'No profile: refused when the job runs.',
        ],
      },
    },
    resolve_preset: {
      description: 'Must be null or absent: FFmpeg profiles take no Resolve preset (SPEC.md R7.9).',
    },
    requires_resolve_edition: {
      description: `Case-sensitive, one of: ${list(RESOLVE_EDITIONS)}. Accepted, not used.`,
      keywords: { enum: [...RESOLVE_EDITIONS] },
    },
    resolved_tokens: { description: 'Accepted, not used.' },
    created_at: { description: 'Accepted, not used.' },
    lut_id: { description: 'Must be null or absent: LUTs are not supported by this runner (SPEC.md R6.11).' },
    lut_applied: { description: 'Accepted, not used.' },
    lut_engine: { description: 'Accepted, not used.' },
  };
}

/** The plain JSON Schema document published as schema/jobspec-2.1.schema.json. */
export function jobSpecJsonSchema(): Record<string, unknown> {
  // A JSON round trip drops TypeBox's internal markers and leaves exactly the JSON Schema keywords.
  const plain = JSON.parse(JSON.stringify(JobSpecSchema)) as Record<string, unknown>;
  const properties = plain['properties'] as Record<KnownField, Record<string, unknown>>;
  const docs = fieldDocs();
  const documented = Object.fromEntries(
    (Object.keys(properties) as KnownField[]).map((key) => [
      key,
      { description: docs[key].description, ...properties[key], ...docs[key].keywords },
    ]),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: JOBSPEC_SCHEMA_ID,
    title: 'JobSpec 2.1',
    description:
      'A watch-folder job: transcode each source to a proxy with one proxy profile (SPEC.md section 5). ' +
      'Generated by src/jobspec/json-schema.ts from src/jobspec/schema.ts; do not edit. It accepts what ' +
      'the runner’s parse checks accept, with proxy_profile one of the known profiles or null; the checks ' +
      'that come later (codec and container pairing, the profile matching codec, container and resolution, ' +
      'files on disk) are described on the fields. A JobSpec cannot name this schema with "$schema" ' +
      '(unknown keys are refused): associate it in the editor’s settings (README.md, "A JobSpec").',
    examples: [EXAMPLE_JOBSPEC],
    ...plain,
    properties: documented,
  };
}

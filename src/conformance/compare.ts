// Compares an implementation's runs with a golden at one of two levels. `strict` compares the whole
// normalised trees (key order included): the reference byte for byte. `core` compares only what every
// correct implementation must agree on: each run's exit; which paths exist (dot-files directly in the
// watch folder, a runner's private files such as its lock, aside); the exact bytes of every file that is
// not a result file; and in each result file the fields a person or a pipeline acts on.
// Every difference is reported, each with a tree path a person can read.

import type { Golden } from './golden.ts';
import { canonicalJson, jsonDifferences, jsonPointer } from './golden.ts';
import type { ExternalRunOutcome } from './external-run.ts';
import { isResultFile } from './normalize.ts';

export const LEVELS = ['core', 'strict'] as const;
export type Level = (typeof LEVELS)[number];

/** The tag of scenarios that pin a choice of the reference implementation, not a requirement. */
export const REFERENCE_TAG = 'reference';

/** Why a scenario is not checked at `level`, or null when it is. */
export function skipReason(tags: readonly string[], level: Level): string | null {
  return level === 'core' && tags.includes(REFERENCE_TAG) ? `tagged ${REFERENCE_TAG}: it checks a choice of the reference implementation, which core does not require` : null;
}

export interface Difference {
  /** The run step, counted from 0 (`runs[run]` of the golden). */
  readonly run: number;
  /** The tree path the difference is in (`watch/failed/job.result.json`); null for the run itself. */
  readonly file: string | null;
  /** Where inside the file's entry, readable (`clips[0].status`); `exit` for the run's exit; '' for all of it. */
  readonly at: string;
  /** The JSON pointer into `{runs: [{exit, tree}]}` (at `core`, into its projection). */
  readonly pointer: string;
  readonly expected: unknown;
  readonly actual: unknown;
  /** Only the order of the keys differs: `expected` and `actual` are the two key lists. */
  readonly keyOrder: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A failure reason's category: its text up to the first `:` ("JobSpec contract violation"). */
export function reasonCategory(reason: unknown): Json {
  if (typeof reason !== 'string') return null;
  const colon = reason.indexOf(':');
  return colon < 0 ? reason : reason.slice(0, colon);
}

/** Dot-files directly in the watch folder (`watch/.runner.lock`, `watch/.state/…`): each runner's own business. */
export function isWatchRootDotFile(path: string): boolean {
  return /^watch\/\.[^/]*(\/|$)/.test(path);
}

const MISSING = '<missing>';

/** The value of `key`, or a marker that it is absent (absent and null are different answers). */
const field = (object: Record<string, unknown>, key: string): Json => (key in object ? (object[key] as Json) : MISSING);

function coreClip(clip: unknown): Json {
  if (!isObject(clip)) return '<not an object>';
  return {
    status: field(clip, 'status'),
    exit_code: field(clip, 'exit_code'),
    output_exists: field(clip, 'output_exists'),
    resolved_output_path: field(clip, 'resolved_output_path'),
    'failure_reason (category)': reasonCategory(clip.failure_reason),
  };
}

/**
 * The part of a (normalised) result file that `core` compares. A recovered job (one with a `_recovery`
 * object) is compared on that block, as the user's recovery example shows it, instead of on `_metadata`.
 */
function coreResult(entry: unknown): Json {
  if (!isObject(entry)) return `<not a JSON object: ${JSON.stringify(entry).slice(0, 80)}>`;
  const clips = Array.isArray(entry.clips) ? entry.clips : [];
  const recovery = isObject(entry._recovery) ? entry._recovery : null;
  const metadata = isObject(entry._metadata) ? entry._metadata : {};
  return {
    job_id: field(entry, 'job_id'),
    final_status: field(entry, 'final_status'),
    'clips (count)': Array.isArray(entry.clips) ? clips.length : MISSING,
    clips: clips.map(coreClip),
    ...(recovery === null
      ? { _metadata: { 'failure_reason (category)': reasonCategory(metadata.failure_reason) } }
      : { _recovery: { reason: field(recovery, 'reason'), original_path: field(recovery, 'original_path') } }),
  };
}

/** `{runs: [{exit, tree}]}` with result files reduced to their core and private dot-files left out. */
function coreView(document: unknown): Json {
  const runs = isObject(document) && Array.isArray(document.runs) ? document.runs : [];
  return {
    runs: runs.map((run: unknown) => {
      const { exit, tree } = isObject(run) ? run : {};
      const entries = Object.entries(isObject(tree) ? tree : {}).filter(([path]) => !isWatchRootDotFile(path));
      return {
        exit: exit as Json,
        tree: Object.fromEntries(entries.map(([path, entry]) => [path, isResultFile(path) ? coreResult(entry) : (entry as Json)])),
      };
    }),
  };
}

function valueAtPath(document: unknown, path: readonly (string | number)[]): unknown {
  let here: unknown = document;
  for (const key of path) {
    if (Array.isArray(here) && typeof key === 'number') here = here[key];
    else if (isObject(here) && typeof key === 'string' && key in here) here = here[key];
    else return undefined;
  }
  return here;
}

/** `clips[0].status`, `_metadata.failure_reason (category)`, `resolved_tokens["a b"]`. */
export function readablePath(path: readonly (string | number)[]): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      if (/^[A-Za-z_$][\w$]*( \([a-z ]+\))?$/.test(key)) return i === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join('');
}

/** Every difference of `actual` from `golden` at `level`, in run order then path order; empty when they agree. */
export function compareWithGolden(golden: Golden, actual: readonly ExternalRunOutcome[], level: Level): Difference[] {
  // Through canonical JSON, exactly as goldens are written and read back.
  const expectedDoc: unknown = JSON.parse(canonicalJson(golden));
  const actualDoc: unknown = JSON.parse(canonicalJson({ runs: actual }));
  const [e, a] = level === 'strict' ? [expectedDoc, actualDoc] : [coreView(expectedDoc), coreView(actualDoc)];
  return jsonDifferences(e, a).map((difference) => {
    const { path, keyOrder } = difference;
    const [, run = 0, part, file, ...inside] = path;
    const expected = valueAtPath(e, path);
    const actualValue = valueAtPath(a, path);
    return {
      run: typeof run === 'number' ? run : 0,
      file: part === 'tree' && typeof file === 'string' ? file : null,
      at: part === 'tree' ? readablePath(inside) : readablePath(path.slice(2)),
      pointer: jsonPointer(difference),
      expected: keyOrder && isObject(expected) ? Object.keys(expected) : expected,
      actual: keyOrder && isObject(actualValue) ? Object.keys(actualValue) : actualValue,
      keyOrder,
    };
  });
}

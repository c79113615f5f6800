// Compares an implementation's runs with a golden at one of the two levels of design section 4:
// `strict` compares the whole normalised trees (key order included); `core` compares which files are
// where, exit codes, and in each result file only what every faithful implementation must agree on.

import type { Golden } from './golden.ts';
import { canonicalJson, firstDifference } from './golden.ts';
import type { ExternalRunOutcome } from './external-run.ts';

export const LEVELS = ['core', 'strict'] as const;
export type Level = (typeof LEVELS)[number];

export interface Divergence {
  /** JSON pointer of the first difference, into `{runs: [{exit, tree}]}` (at `core`, into its projection). */
  readonly pointer: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A failure reason's category: its text up to the first `:` ("JobSpec contract violation"). */
export function reasonCategory(reason: unknown): Json {
  if (typeof reason !== 'string') return null;
  const colon = reason.indexOf(':');
  return colon < 0 ? reason : reason.slice(0, colon);
}

function coreClip(clip: unknown): Json {
  if (!isObject(clip)) return '<not an object>';
  const field = (key: string): Json => (key in clip ? (clip[key] as Json) : '<missing>');
  return {
    status: field('status'),
    exit_code: field('exit_code'),
    output_exists: field('output_exists'),
    resolved_output_path: field('resolved_output_path'),
    failure_category: reasonCategory(clip.failure_reason),
  };
}

/** The part of a (normalised) result file that `core` compares. */
function coreResult(entry: unknown): Json {
  if (!isObject(entry)) return { $unparsable_result: true };
  const clips = Array.isArray(entry.clips) ? entry.clips : [];
  const metadata = isObject(entry._metadata) ? entry._metadata : {};
  return {
    job_id: (entry.job_id as Json | undefined) ?? '<missing>',
    final_status: (entry.final_status as Json | undefined) ?? '<missing>',
    clip_count: Array.isArray(entry.clips) ? clips.length : '<missing>',
    clips: clips.map(coreClip),
    failure_category: reasonCategory(metadata.failure_reason),
  };
}

/** `{runs: [{exit, tree}]}` with every tree entry reduced to its presence, or a result to its core. */
function coreView(document: unknown): Json {
  const runs = isObject(document) && Array.isArray(document.runs) ? document.runs : [];
  return {
    runs: runs.map((run: unknown) => {
      const { exit, tree } = isObject(run) ? run : {};
      const entries = Object.entries(isObject(tree) ? tree : {});
      return {
        exit: exit as Json,
        tree: Object.fromEntries(entries.map(([path, entry]) => [path, path.endsWith('.result.json') ? coreResult(entry) : true])),
      };
    }),
  };
}

/** The value a JSON pointer (as `firstDifference` reports it) names, or undefined. */
export function valueAt(document: unknown, pointer: string): unknown {
  const path = pointer.replace(/ \(key order\)$/, '');
  if (path === '/') return document;
  let here: unknown = document;
  for (const raw of path.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(here)) here = here[Number(key)];
    else if (isObject(here)) here = key in here ? here[key] : undefined;
    else return undefined;
  }
  return here;
}

/** The first divergence of `actual` from `golden` at `level`, or null when they agree. */
export function compareWithGolden(golden: Golden, actual: readonly ExternalRunOutcome[], level: Level): Divergence | null {
  // Through canonical JSON, exactly as goldens are written and read back.
  const expectedDoc: unknown = JSON.parse(canonicalJson(golden));
  const actualDoc: unknown = JSON.parse(canonicalJson({ runs: actual }));
  const [e, a] = level === 'strict' ? [expectedDoc, actualDoc] : [coreView(expectedDoc), coreView(actualDoc)];
  const pointer = firstDifference(e, a);
  return pointer === null ? null : { pointer, expected: valueAt(e, pointer), actual: valueAt(a, pointer) };
}

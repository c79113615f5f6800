// Building blocks shared by the generated scenario families: the valid JobSpec each family varies, the
// default input tree around it, and the rule that decides which generated scenarios are portable.
// Generated scenarios are ordinary scenario files that happen to be written by code (spec/README.md):
// each one could be saved as JSON under fixtures/ and mean exactly the same to any implementation.

import { createHash } from 'node:crypto';
import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import type { MediaDescriptor } from '../../src/conformance/media.ts';
import type { Scenario, Tier } from '../../src/conformance/scenario.ts';
import type { Step } from '../../src/conformance/steps.ts';
import { TAGS } from '../../src/conformance/scenario.ts';
import { faultFieldsOf, isRunStep } from '../../src/conformance/steps.ts';
import { isSpecialShaped } from '../../src/conformance/tree.ts';

export type Tag = (typeof TAGS)[number];
export type JobSpecDraft = Record<string, unknown>;

export const JOB_ID = 'gen00001';
export const JOBSPEC_PATH = 'watch/pending/job.json';

/** Where JobSpecs point: `{ROOT}/…` (needs an explicit job_id to be portable) or paths relative to the cwd. */
export type PathStyle = 'root' | 'relative';

export function mediaPath(name: string, style: PathStyle = 'root'): string {
  return style === 'root' ? `{ROOT}/media/${name}` : `media/${name}`;
}

/** A valid single-clip JobSpec that completes with proxy_h264_low; families change one thing at a time. */
export function baseJobSpec(style: PathStyle = 'root'): JobSpecDraft {
  return {
    jobspec_version: '2.1',
    job_id: JOB_ID,
    sources: [mediaPath('clip.mov', style)],
    output_directory: style === 'root' ? '{ROOT}/out' : 'out',
    codec: 'h264',
    container: 'mp4',
    resolution: 'half',
    naming_template: '{source_name}_proxy',
    proxy_profile: 'proxy_h264_low',
  };
}

/** `spec` with `changes` applied in place (key order is kept: the bytes are hashed for a default job_id). */
export function withFields(spec: JobSpecDraft, changes: JobSpecDraft): JobSpecDraft {
  return { ...spec, ...changes };
}

export function withoutFields(spec: JobSpecDraft, ...keys: string[]): JobSpecDraft {
  return Object.fromEntries(Object.entries(spec).filter(([key]) => !keys.includes(key)));
}

export function media(descriptor: MediaDescriptor = { exit: 0 }): { $media: MediaDescriptor } {
  return { $media: descriptor };
}

/** A JobSpec as a tree entry: plain objects as themselves, anything else (or a `$`-shaped object) via `$json`. */
export function jobSpecEntry(value: unknown): unknown {
  const plainObject = value !== null && typeof value === 'object' && !Array.isArray(value) && !isSpecialShaped(value);
  return plainObject ? value : { $json: value };
}

/** The usual tree: the JobSpec in pending/, one succeeding clip, an empty output directory. */
export function defaultTree(jobspec: unknown): Record<string, unknown> {
  return { [JOBSPEC_PATH]: jobSpecEntry(jobspec), 'media/clip.mov': media(), out: { $dir: true } };
}

export const ONCE: Step[] = [{ run: ['--once'] }];

export interface GeneratedInput {
  readonly family: string;
  readonly name: string;
  readonly description: string;
  /** The SPEC.md requirements the scenario pins. */
  readonly requirements: readonly string[];
  readonly tags?: readonly Tag[];
  readonly tree: Record<string, unknown>;
  readonly steps?: Step[];
}

/** True when a tree entry is a JSON object whose `job_id` is a string. */
function hasOwnJobId(entry: unknown): boolean {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || isSpecialShaped(entry)) return false;
  return typeof (entry as Record<string, unknown>)['job_id'] === 'string';
}

/**
 * Whether a scenario can run against any implementation through its command line: no clock steps, no
 * timing dependence, no crash injection, and no JobSpec whose default job_id would hash the temporary root
 * (a JobSpec that mentions `{ROOT}` must carry its own string job_id).
 */
export function isPortable(scenario: Omit<Scenario, 'tags'>, tags: readonly Tag[]): boolean {
  if (tags.includes('timing') || tags.includes('crash') || tags.includes('signals') || tags.includes('fs-fault')) return false;
  if (scenario.steps.some((step) => !isRunStep(step) || faultFieldsOf(step).length > 0 || step.stop_after_seconds !== undefined)) return false;
  return Object.entries(scenario.tree).every(([path, entry]) => {
    const isJobSpec = /^watch\/(pending|running)\/[^/]*\.json$/.test(path);
    return !isJobSpec || !JSON.stringify(entry).includes('{ROOT}') || hasOwnJobId(entry);
  });
}

/** About one generated scenario in this many is in the default tier. */
const DEFAULT_TIER_SHARE = 8;

/**
 * The tier of a generated scenario, the one place tiers are decided. The codec × container × resolution ×
 * profile matrix is `full` only (its 1,200 cells pin a handful of rules many times over). Of every other
 * family a fixed eighth, chosen by a hash of the name (stable when scenarios are added), is in the default
 * tier beside every hand-written scenario, so that a default conformance run stays a few minutes at most
 * through an implementation's command line; the rest is `full`. The in-memory golden tests run every tier.
 */
export function tierOf(family: string, name: string): Tier {
  if (family === 'matrix') return 'full';
  const first = createHash('sha256').update(`${family}/${name}`).digest()[0] ?? 0;
  return first < 256 / DEFAULT_TIER_SHARE ? 'default' : 'full';
}

/** One generated scenario, `portable` added when it qualifies, tags in the closed list's order. */
export function generated(input: GeneratedInput): LoadedScenario {
  const body = { description: input.description, requirements: [...input.requirements], tree: input.tree, steps: input.steps ?? ONCE };
  const given = new Set<Tag>(input.tags ?? []);
  if (isPortable(body, [...given])) given.add('portable');
  const tags = TAGS.filter((tag) => given.has(tag));
  const scenario: Scenario = {
    description: body.description,
    requirements: body.requirements,
    tags,
    tier: tierOf(input.family, input.name),
    family: input.family,
    tree: body.tree,
    steps: body.steps,
  };
  return { id: `generated/${input.family}/${input.name}`, scenario };
}

/** A name part that is safe in a file name: lowercase letters, digits, `_` and `-` only. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** JSON for descriptions: short, one line. */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

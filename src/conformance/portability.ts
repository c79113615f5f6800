// What a scenario tagged `portable` must not contain, because the conformance runner for other
// implementations (design section 4) cannot reproduce it through a command line on a real folder.
// `scenarioProblems` reports these for every portable fixture, so the tag cannot silently lie.

import type { Step } from './steps.ts';
import { memoryOnlyReasons } from './steps.ts';
import { isSpecialShaped } from './tree.ts';

/** What the lint reads of a scenario (scenario.ts runs it on every valid scenario file). */
export interface PortabilityInput {
  readonly tags: readonly string[];
  readonly tree: Readonly<Record<string, unknown>>;
  readonly steps: readonly Step[];
  readonly volumes?: unknown;
}

/** JobSpec names as the runner sees them (contract section 3): `*.json` but not `*.result.json`. */
const isJobSpecPath = (path: string): boolean => path.endsWith('.json') && !path.endsWith('.result.json');

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The JSON object a tree entry's file will hold (plain object, `$json`, or text that parses), or null. */
function objectOf(entry: unknown): Record<string, unknown> | null {
  let value: unknown = entry;
  if (typeof entry === 'string') {
    try {
      value = JSON.parse(entry);
    } catch {
      return null;
    }
  } else if (isSpecialShaped(entry)) {
    value = entry.$json;
  }
  return isPlainObject(value) ? value : null;
}

/**
 * The default job_id is a hash of the JobSpec file's bytes, so a JobSpec whose text holds {ROOT} gets a
 * job_id that depends on where the scenario runs: portable only with an explicit string `job_id`. (Text the
 * runner's stricter parser rejects, say for a duplicate key, is hashed anyway; the self-conformance test
 * catches that case.)
 */
function rootDependentJobIds(entries: Readonly<Record<string, unknown>>, where: string): string[] {
  return Object.entries(entries)
    .filter(([path, entry]) => path.startsWith('watch/') && isJobSpecPath(path) && JSON.stringify(entry).includes('{ROOT}'))
    .filter(([, entry]) => typeof objectOf(entry)?.job_id !== 'string')
    .map(([path]) => `${where} ${path}: a portable scenario's JobSpec that contains {ROOT} needs a string "job_id" (the default job_id hashes the bytes, root included)`);
}

/** Media files whose descriptor acts on other files mid-run: only the in-memory fake does that. */
function meanwhileMedia(entries: Readonly<Record<string, unknown>>, where: string): string[] {
  return Object.entries(entries)
    .filter(([, entry]) => isPlainObject(entry) && isPlainObject(entry.$media) && entry.$media.meanwhile !== undefined)
    .map(([path]) => `${where} ${path}: a media descriptor's "meanwhile" needs the in-memory harness, so the scenario cannot be portable`);
}

/** Problems that make a `portable` tag false (empty when the scenario is not tagged portable). */
export function portabilityProblems(scenario: PortabilityInput): string[] {
  if (!scenario.tags.includes('portable')) return [];
  const problems = [...rootDependentJobIds(scenario.tree, 'tree entry'), ...meanwhileMedia(scenario.tree, 'tree entry')];
  if (scenario.volumes !== undefined) problems.push('volumes: volumes without hard links are modelled by the in-memory filesystem, so the scenario cannot be portable');
  for (const [i, step] of scenario.steps.entries()) {
    if ('write' in step) problems.push(...rootDependentJobIds(step.write, `step ${i} writes`), ...meanwhileMedia(step.write, `step ${i} writes`));
    for (const reason of memoryOnlyReasons(step)) problems.push(`step ${i}: ${reason}, so the scenario cannot be portable`);
  }
  return problems;
}

// The scenario file format (design section 2): language-neutral data that any implementation of the
// runner can be checked with, needing nothing but a JSON parser. This TypeBox schema validates every
// fixture file; spec/README.md documents it for runner authors.

import Type from 'typebox';
import Value from 'typebox/value';
import { MediaDescriptorSchema } from './media.ts';
import { portabilityProblems } from './portability.ts';
import { faultFieldsOf, isRunStep, StepSchema } from './steps.ts';
import { isSpecialShaped } from './tree.ts';

/** The closed tag vocabulary. `reference`: pins a choice of this reference implementation, skipped at `core`. */
export const TAGS = ['portable', 'reference', 'crash', 'fs-fault', 'timing', 'signals', 'recovery', 'hostile', 'naming', 'cli', 'multi-clip'] as const;

/**
 * One entry of an input tree. A string is the file's raw text; an object whose single key starts with
 * `$` is special; any other JSON value is a JSON file (written with 2-space indentation and a newline).
 */
export const SpecialEntrySchema = Type.Union([
  Type.Object({ $json: Type.Unknown() }, { additionalProperties: false, description: 'Any JSON value, e.g. a string or array JobSpec' }),
  Type.Object({ $media: MediaDescriptorSchema }, { additionalProperties: false, description: 'A fake media file' }),
  Type.Object({ $dir: Type.Literal(true) }, { additionalProperties: false, description: 'An (empty) directory' }),
  Type.Object({ $symlink: Type.String() }, { additionalProperties: false, description: 'A symbolic link to this target' }),
  Type.Object({ $hardlink: Type.String() }, { additionalProperties: false, description: 'A second name for another tree path' }),
  Type.Object({ $base64: Type.String() }, { additionalProperties: false, description: 'Raw bytes' }),
  Type.Object({ $size: Type.Integer({ minimum: 0 }) }, { additionalProperties: false, description: 'A file of this many zero bytes' }),
]);

/**
 * Folders of the tree (relative paths) on a volume that lacks a feature, keyed by folder: `hard_links:
 * false` (link(2) fails with EPERM, as on exFAT and FAT32), `replacing_rename: false` (rename(2) onto an
 * existing name fails with EEXIST). In memory only.
 */
export const VolumeRulesSchema = Type.Record(
  Type.String(),
  Type.Object(
    {
      hard_links: Type.Optional(Type.Boolean({ description: 'false: link(2) fails with EPERM, as on exFAT and FAT32' })),
      replacing_rename: Type.Optional(Type.Boolean({ description: 'false: rename(2) onto an existing name fails with EEXIST' })),
    },
    { additionalProperties: false },
  ),
);

export type VolumeRules = Type.Static<typeof VolumeRulesSchema>;

export const ScenarioSchema = Type.Object(
  {
    description: Type.String({ minLength: 1, description: 'One line: the behaviour this scenario pins' }),
    requirements: Type.Array(Type.String({ pattern: '^R\\d+\\.\\d+$' }), {
      minItems: 1,
      description: 'The SPEC.md requirements this scenario pins, e.g. ["R5.4"]',
    }),
    tags: Type.Array(Type.Enum(TAGS)),
    tier: Type.Optional(Type.Union([Type.Literal('default'), Type.Literal('full')], { description: 'default: part of the default conformance run; full: only in the full run' })),
    family: Type.Optional(Type.String({ description: 'The generated family this scenario belongs to' })),
    tree: Type.Record(Type.String(), Type.Unknown()),
    steps: Type.Array(StepSchema, { minItems: 1 }),
    ffmpeg_installed: Type.Optional(Type.Boolean({ description: 'false: no ffmpeg on PATH (default true)' })),
    volumes: Type.Optional(VolumeRulesSchema),
  },
  { additionalProperties: false },
);

export type Scenario = Type.Static<typeof ScenarioSchema>;

/** A list of problems with a parsed scenario file (empty when it is valid). */
export function scenarioProblems(value: unknown): string[] {
  if (!Value.Check(ScenarioSchema, value)) {
    return [...Value.Errors(ScenarioSchema, value)].slice(0, 5).map((e) => `${e.instancePath || '/'}: ${e.message}`);
  }
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(value.tree)) {
    if (isSpecialShaped(entry) && !Value.Check(SpecialEntrySchema, entry)) problems.push(`tree entry ${path}: not a valid $-entry`);
  }
  for (const [i, step] of value.steps.entries()) {
    if (isRunStep(step) && !step.run.includes('--once') && step.stop_after_seconds === undefined) {
      problems.push(`step ${i}: a continuous run needs stop_after_seconds`);
    }
    if ('concurrently' in step && step.concurrently.some((run) => !run.run.includes('--once'))) {
      problems.push(`step ${i}: every runner of a concurrently step runs with --once (nothing would stop the others)`);
    }
    if (isRunStep(step) && faultFieldsOf(step).length > 1) {
      problems.push(`step ${i}: at most one of crash_at_fs_op, power_cut_at_fs_op and fail_fs_op`);
    }
  }
  if (value.description.includes('\n')) problems.push('description must be one line');
  problems.push(...portabilityProblems(value));
  return problems;
}

export type Tier = NonNullable<Scenario['tier']>;

/** The tiers, smallest first: a run at one tier includes the scenarios of every tier before it. */
export const TIERS = ['default', 'full'] as const satisfies readonly Tier[];

/** A scenario's tier (`default` when the file says none). */
export function scenarioTier(scenario: Pick<Scenario, 'tier'>): Tier {
  return scenario.tier ?? 'default';
}

/** Whether a run at `tier` includes `scenario` (`full` runs every tier). */
export function inTier(scenario: Pick<Scenario, 'tier'>, tier: Tier): boolean {
  return TIERS.indexOf(scenarioTier(scenario)) <= TIERS.indexOf(tier);
}

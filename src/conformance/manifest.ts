// suite/manifest.json: what a harness reads first. It gives the suite's version (semver, bumped as
// spec/README.md says), the version of SPEC.md the goldens follow, where scenario and golden files are
// (paths relative to the manifest's folder, `<id>` standing for a scenario id) and how many scenarios each
// tier and tag has. Made here (buildManifest, for scripts/write-suite.ts) and read here (readManifest, for
// the conformance CLI).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Type from 'typebox';
import Value from 'typebox/value';
import type { Scenario } from './scenario.ts';
import { scenarioTier, TAGS, TIERS } from './scenario.ts';

const SEMVER = '^\\d+\\.\\d+\\.\\d+$';
const ID_PATH = '^([^<>]*/)?<id>\\.json$';

export const ManifestSchema = Type.Object(
  {
    suite_version: Type.String({ pattern: SEMVER, description: 'The version of the scenario and golden files (semver)' }),
    spec_version: Type.Union([Type.String({ pattern: SEMVER }), Type.Null()], { description: 'The SPEC.md version the goldens follow, or null before SPEC.md exists' }),
    layout: Type.Object(
      {
        scenarios: Type.String({ pattern: ID_PATH, description: 'Where the scenario with id <id> is, relative to this file' }),
        goldens: Type.String({ pattern: ID_PATH, description: 'Where its golden file is, relative to this file' }),
      },
      { additionalProperties: false },
    ),
    counts: Type.Object(
      {
        scenarios: Type.Integer({ minimum: 0 }),
        tiers: Type.Record(Type.Enum(TIERS), Type.Integer({ minimum: 0 }), { additionalProperties: false }),
        tags: Type.Record(Type.Enum(TAGS), Type.Integer({ minimum: 0 }), { additionalProperties: false }),
      },
      { additionalProperties: false, description: 'How many scenarios there are, per tier and per tag' },
    ),
  },
  { additionalProperties: false },
);

export type Manifest = Type.Static<typeof ManifestSchema>;

export const SUITE_LAYOUT: Manifest['layout'] = { scenarios: 'scenarios/<id>.json', goldens: '../golden/<id>.json' };

export interface Versions {
  readonly suite: string;
  readonly spec: string | null;
}

export function buildManifest(scenarios: readonly Scenario[], versions: Versions): Manifest {
  const tally = (keys: readonly string[], has: (scenario: Scenario, key: string) => boolean): Record<string, number> =>
    Object.fromEntries(keys.map((key) => [key, scenarios.filter((s) => has(s, key)).length]));
  return {
    suite_version: versions.suite,
    spec_version: versions.spec,
    layout: SUITE_LAYOUT,
    counts: {
      scenarios: scenarios.length,
      tiers: tally(TIERS, (s, tier) => scenarioTier(s) === tier) as Manifest['counts']['tiers'],
      tags: tally(TAGS, (s, tag) => (s.tags as readonly string[]).includes(tag)) as Manifest['counts']['tags'],
    },
  };
}

/** Where a suite's scenario files and goldens are: the folders under which `<id>.json` files live. */
export interface SuiteFolders {
  readonly manifest: Manifest;
  readonly scenariosDir: string;
  readonly goldenDir: string;
}

/** Reads `<suiteDir>/manifest.json`; throws with the reason when it is missing or invalid. */
export function readManifest(suiteDir: string): SuiteFolders {
  const file = join(suiteDir, 'manifest.json');
  const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Value.Check(ManifestSchema, manifest)) throw new Error(`${file} is not a valid suite manifest`);
  const folderOf = (pattern: string): string => join(suiteDir, dirname(pattern));
  return { manifest, scenariosDir: folderOf(manifest.layout.scenarios), goldenDir: folderOf(manifest.layout.goldens) };
}

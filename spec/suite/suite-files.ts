// The suite as data (spec/README.md, "The suite folder"): every scenario, hand-written (fixtures/) and
// generated (spec/generated/), as one language-neutral file suite/scenarios/<id>.json, plus
// suite/manifest.json. Each file is the scenario as its author wrote it, with its tier (and family), and
// with every tree entry in its exact form (tree.ts): a JSON value or media descriptor becomes the exact
// text of its file, so a harness in any language writes the same bytes. scripts/write-suite.ts writes
// these files; spec/scenarios/suite.test.ts fails when they are stale.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import { loadScenarios } from '../../src/conformance/fixtures.ts';
import { canonicalJson } from '../../src/conformance/golden.ts';
import { buildManifest, SUITE_LAYOUT } from '../../src/conformance/manifest.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import { scenarioTier } from '../../src/conformance/scenario.ts';
import type { Step } from '../../src/conformance/steps.ts';
import { exactEntries } from '../../src/conformance/tree.ts';
import { generatedScenarios } from '../generated/index.ts';

/**
 * The version of the suite's files (semver). Bump it in the commit that changes them, as spec/README.md
 * ("Versions") says: major for a format change a harness must follow, minor for scenarios or goldens
 * added, changed or removed, patch for descriptions only.
 */
export const SUITE_VERSION = '3.0.0';

const SPEC_VERSION_LINE = /^Spec version: (\d+\.\d+\.\d+)\s*$/m;

/** The version in SPEC.md's `Spec version: X.Y.Z` line; null while there is no SPEC.md. */
export function specVersionOf(specText: string | null): string | null {
  if (specText === null) return null;
  const version = SPEC_VERSION_LINE.exec(specText)?.[1];
  if (version === undefined) throw new Error('SPEC.md has no "Spec version: X.Y.Z" line');
  return version;
}

function exactStep(step: Step): Step {
  return 'write' in step ? { write: exactEntries(step.write) } : step;
}

/** A scenario as suite/ stores it: metadata passed through, tier always given, entries exact. */
export function suiteScenario(scenario: Scenario): Scenario {
  const { tree, steps, tier, family, ...metadata } = scenario;
  return {
    ...metadata,
    tier: scenarioTier({ tier }),
    ...(family === undefined ? {} : { family }),
    tree: exactEntries(tree),
    steps: steps.map(exactStep),
  };
}

/** The path of a scenario's file under suite/. */
export function suitePathOf(id: string): string {
  return SUITE_LAYOUT.scenarios.replace('<id>', id);
}

/** Every scenario of the repository: the fixtures, then every generated family. */
export async function allScenarios(repoRoot: string): Promise<LoadedScenario[]> {
  return [...loadScenarios(join(repoRoot, 'fixtures')), ...(await generatedScenarios())];
}

/** The text of every file of suite/, by its path under suite/, in id order. */
export function suiteFiles(scenarios: readonly LoadedScenario[], specVersion: string | null): Map<string, string> {
  const files = new Map<string, string>();
  const stored = scenarios.map(({ id, scenario }) => ({ id, scenario: suiteScenario(scenario) }));
  const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const { id, scenario } of [...stored].sort(byId)) files.set(suitePathOf(id), canonicalJson(scenario));
  const manifest = buildManifest(
    stored.map((s) => s.scenario),
    { suite: SUITE_VERSION, spec: specVersion },
  );
  files.set('manifest.json', canonicalJson(manifest));
  return files;
}

/** What suite/ must hold for the repository at `repoRoot` now. */
export async function currentSuiteFiles(repoRoot: string): Promise<Map<string, string>> {
  const specPath = join(repoRoot, 'SPEC.md');
  const specVersion = specVersionOf(existsSync(specPath) ? readFileSync(specPath, 'utf8') : null);
  return suiteFiles(await allScenarios(repoRoot), specVersion);
}

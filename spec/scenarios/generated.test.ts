// Every generated scenario (spec/generated/) runs in memory and must produce exactly its golden under
// golden/generated/<family>/. UPDATE_GOLDEN=1 rewrites them, and also deletes the goldens of generated
// scenarios that no longer exist (the crash family follows the runner's operation count, so its set of
// scenarios changes with the runner); read `git status golden/generated` before committing.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import { goldenPathOf } from '../../src/conformance/fixtures.ts';
import { canonicalJson, firstDifference, isGolden } from '../../src/conformance/golden.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import { scenarioProblems } from '../../src/conformance/scenario.ts';
import { runScenarioInMemory } from '../harness/memory-run.ts';
import { crashInvariantProblems } from '../generated/crash-invariants.ts';
import { familyOf, generatedScenarios } from '../generated/index.ts';

const update = process.env.UPDATE_GOLDEN === '1';
const GOLDEN_ROOT = 'golden';
const GENERATED_GOLDENS = join(GOLDEN_ROOT, 'generated');
// `npm run mutate` sets GENERATED_SKIP=crash: enumerating the crash points runs the whole runner while this
// file loads, and Stryker must then treat every mutant it reaches as static (run against every test after a
// reload), which makes a mutation run take days. `npm test` does not set it.
const skipped: ReadonlySet<string> = new Set((process.env.GENERATED_SKIP ?? '').split(',').filter((family) => family !== ''));
const scenarios = await generatedScenarios(skipped);

function families(): Map<string, LoadedScenario[]> {
  const byFamily = new Map<string, LoadedScenario[]>();
  for (const s of scenarios) byFamily.set(familyOf(s.id), [...(byFamily.get(familyOf(s.id)) ?? []), s]);
  return byFamily;
}

function goldenIdsOnDisk(): string[] {
  if (!existsSync(GENERATED_GOLDENS)) return [];
  return readdirSync(GENERATED_GOLDENS, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(GOLDEN_ROOT, join(e.parentPath, e.name)).replace(/\.json$/, ''));
}

describe('generated scenarios (memfs)', () => {
  afterAll(() => {
    const counts = [...families()].map(([family, members]) => `${family} ${members.length}`).join(', ');
    console.log(`generated scenarios: ${scenarios.length} compared with goldens (${counts})${update ? ' (goldens rewritten)' : ''}`);
  });

  it('are valid scenario files, with unique ids of the form generated/<family>/<name>', () => {
    const problems = scenarios.flatMap(({ id, scenario }) => scenarioProblems(JSON.parse(JSON.stringify(scenario))).map((p) => `${id}: ${p}`));
    const ids = scenarios.map((s) => s.id);
    expect(problems).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.filter((id) => !/^generated\/[a-z0-9-]+\/[A-Za-z0-9_.-]+$/.test(id))).toEqual([]);
  });

  it('has no golden under golden/generated without its scenario', () => {
    const known = new Set(scenarios.map((s) => s.id));
    const orphans = goldenIdsOnDisk().filter((id) => !known.has(id) && !skipped.has(familyOf(id)));
    if (update) {
      for (const id of orphans) rmSync(goldenPathOf(GOLDEN_ROOT, id));
      return;
    }
    expect(orphans).toEqual([]);
  });

  for (const [family, members] of families()) {
    describe(family, () => {
      it.each(members.map((s) => [s.id, s] as const))('%s', async (_id, { id, scenario: built }) => {
        // Run the scenario as it would read back from a JSON file, so what is checked is exactly the data.
        const scenario = JSON.parse(JSON.stringify(built)) as Scenario;
        const actual = await runScenarioInMemory(scenario);
        const file = goldenPathOf(GOLDEN_ROOT, id);
        if (update) {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, canonicalJson(actual));
        } else {
          expect(existsSync(file), `missing golden ${file}: run UPDATE_GOLDEN=1 npm test`).toBe(true);
          const expected: unknown = JSON.parse(readFileSync(file, 'utf8'));
          expect(isGolden(expected), `${file} is not a valid golden file`).toBe(true);
          const diff = firstDifference(expected, JSON.parse(canonicalJson(actual)));
          expect(diff, `${id}: first difference at ${diff}`).toBeNull();
        }
        // Checked on every run, not only when goldens are rewritten: a golden must never record a lost job.
        if (family === 'crash') expect(crashInvariantProblems(scenario, actual), `${id}: crash invariants`).toEqual([]);
      });
    });
  }
});

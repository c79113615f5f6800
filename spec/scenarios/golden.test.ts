// Every scenario under fixtures/ runs in memory and must produce exactly its golden file.
// UPDATE_GOLDEN=1 rewrites the goldens instead of comparing (then read the diff before committing).

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson, firstDifference, isGolden } from '../../src/conformance/golden.ts';
import { goldenPathOf, loadScenarios } from '../../src/conformance/fixtures.ts';
import { runScenarioInMemory } from '../harness/memory-run.ts';

const update = process.env.UPDATE_GOLDEN === '1';
const scenarios = loadScenarios('fixtures');

describe('golden scenarios (memfs)', () => {
  afterAll(() => {
    console.log(`scenarios: ${scenarios.length} compared with goldens${update ? ' (goldens rewritten)' : ''}`);
  });

  it('has no golden file without its scenario (a renamed scenario leaves its old golden behind)', () => {
    const known = new Set(scenarios.map((s) => s.id));
    // golden/generated/ belongs to the generated families; generated.test.ts checks it against them.
    const goldens = readdirSync('golden', { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative('golden', join(e.parentPath, e.name)).replace(/\.json$/, ''))
      .filter((id) => !id.startsWith('generated/'));
    expect(goldens.filter((id) => !known.has(id))).toEqual([]);
  });

  it.each(scenarios.map((s) => [s.id, s] as const))('%s', async (_id, { id, scenario }) => {
    const actual = await runScenarioInMemory(scenario);
    const file = goldenPathOf('golden', id);
    if (update) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, canonicalJson(actual));
      return;
    }
    expect(existsSync(file), `missing golden ${file}: run UPDATE_GOLDEN=1 npm test`).toBe(true);
    const expected: unknown = JSON.parse(readFileSync(file, 'utf8'));
    expect(isGolden(expected), `${file} is not a valid golden file`).toBe(true);
    const diff = firstDifference(expected, JSON.parse(canonicalJson(actual)));
    expect(diff, `${id}: first difference at ${diff}`).toBeNull();
  });

  // Runners started together may claim in any order: a scenario whose outcome depended on which one
  // started first would pass here and fail against real processes. So each such scenario must come out
  // the same whichever runner starts first.
  const together = scenarios.filter(({ scenario }) => scenario.steps.some((step) => 'concurrently' in step));
  it.each(together.map((s) => [s.id, s] as const))('%s: the same golden whichever runner of a concurrently step starts first', async (_id, { scenario }) => {
    const most = Math.max(...scenario.steps.map((step) => ('concurrently' in step ? step.concurrently.length : 1)));
    const outcomes = new Set<string>();
    for (let rotation = 0; rotation < most; rotation += 1) outcomes.add(canonicalJson(await runScenarioInMemory(scenario, { concurrentRotation: rotation })));
    expect(outcomes.size).toBe(1);
  });
});

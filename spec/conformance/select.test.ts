// Which scenarios a conformance run selects: portable ones, by --filter (compare.test.ts: which a level then skips).

import { describe, expect, it } from 'vitest';
import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import { selectPortable } from '../../src/conformance/suite.ts';

function scenario(id: string, tags: Scenario['tags']): LoadedScenario {
  return { id, scenario: { description: id, requirements: ['R1.1'], tags, tree: {}, steps: [{ run: ['--once'] }] } };
}

const ALL = [scenario('parse/a', ['portable']), scenario('recovery/lock', ['portable', 'reference']), scenario('faults/x', ['fs-fault']), scenario('parse/b', ['portable', 'hostile'])];
const ids = (selected: readonly LoadedScenario[]): string[] => selected.map((s) => s.id);

describe('selectPortable', () => {
  it('selects every portable scenario, reference ones included', () => {
    expect(ids(selectPortable(ALL, [], 'default'))).toEqual(['parse/a', 'recovery/lock', 'parse/b']);
  });

  it('keeps only ids matching one of the filters', () => {
    expect(ids(selectPortable(ALL, ['^parse/b$', 'lock'], 'default'))).toEqual(['recovery/lock', 'parse/b']);
  });
});

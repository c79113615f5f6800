// Every scenario (hand-written and generated) names requirements SPEC.md defines; every normative
// requirement is pinned by a portable scenario (except the listed gaps), every in-memory one by some
// scenario; the reference tag agrees with the requirements; docs/coverage.md is what the generator writes.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoverageEntry } from '../../src/conformance/coverage.ts';
import {
  COVERAGE_DOC_COMMAND,
  memoryWithoutScenario,
  normativeWithoutPortable,
  referenceTagProblems,
  renderCoverageDoc,
  staleGaps,
  unknownRequirementProblems,
} from '../../src/conformance/coverage.ts';
import { loadScenarios } from '../../src/conformance/fixtures.ts';
import { parseSpec, readSpecOutline } from '../../src/conformance/requirements.ts';
import { generatedScenarios } from '../generated/index.ts';

const ROOT = join(import.meta.dirname, '../..');
const spec = readSpecOutline(join(ROOT, 'SPEC.md'));
const scenarios = [...loadScenarios(join(ROOT, 'fixtures')), ...(await generatedScenarios())];

describe('requirement coverage of the suite', () => {
  it('every scenario names only requirements SPEC.md defines', () => {
    expect(unknownRequirementProblems(spec, scenarios)).toEqual([]);
  });

  it('every normative requirement has a portable scenario, except the listed gaps', () => {
    expect(normativeWithoutPortable(spec, scenarios)).toEqual([]);
    expect(staleGaps(spec, scenarios)).toEqual([]);
  });

  it('every (memory) requirement has a scenario', () => {
    expect(memoryWithoutScenario(spec, scenarios)).toEqual([]);
  });

  it('the reference tag agrees with the requirements a scenario names', () => {
    expect(referenceTagProblems(spec, scenarios)).toEqual([]);
  });

  it('docs/coverage.md is what the generator produces', () => {
    const doc = join(ROOT, 'docs', 'coverage.md');
    const stale = `docs/coverage.md is out of date: run \`${COVERAGE_DOC_COMMAND}\``;
    expect(existsSync(doc), stale).toBe(true);
    expect(readFileSync(doc, 'utf8') === renderCoverageDoc(spec, scenarios), stale).toBe(true);
  });
});

// The same rules on a small made-up spec, so each one is seen to catch what it is for.
const TOY = parseSpec(
  ['## 1. One', '- **R1.1** Normative.', '- **R1.2** *(reference)* A choice.', '- **R1.3** *(memory)* In memory.', '- **R1.4** Also normative.'].join('\n'),
);
const entry = (id: string, requirements: string[], tags: string[], family?: string): CoverageEntry => ({ id, scenario: { requirements, tags, family } });

describe('coverage rules', () => {
  it('name a scenario that cites an id SPEC.md does not have', () => {
    expect(unknownRequirementProblems(TOY, [entry('a/x', ['R1.1', 'R9.9'], [])])).toEqual(['a/x: names R9.9, not a requirement of SPEC.md']);
  });

  it('want a portable scenario for each normative requirement; a non-portable one does not count', () => {
    const problems = normativeWithoutPortable(TOY, [entry('a/x', ['R1.1'], ['portable']), entry('a/y', ['R1.4'], ['crash'])], new Map());
    expect(problems).toEqual(['R1.4: Also normative.']);
  });

  it('accept a listed gap, and call the entry stale once a portable scenario covers it', () => {
    const gaps = new Map([['R1.4', 'why']]);
    expect(normativeWithoutPortable(TOY, [entry('a/x', ['R1.1'], ['portable'])], gaps)).toEqual([]);
    expect(staleGaps(TOY, [entry('a/x', ['R1.1', 'R1.4'], ['portable'])], gaps)).toEqual(['R1.4 is listed as a portable gap but is covered or not normative']);
  });

  it('want some scenario, portable or not, for each (memory) requirement', () => {
    expect(memoryWithoutScenario(TOY, [])).toEqual(['R1.3: In memory.']);
    expect(memoryWithoutScenario(TOY, [entry('f/x', ['R1.3'], ['fs-fault'])])).toEqual([]);
  });

  it('keep the reference tag honest in both directions', () => {
    expect(
      referenceTagProblems(TOY, [
        entry('a/tagged', ['R1.1'], ['portable', 'reference']),
        entry('a/untagged', ['R1.2'], ['portable']),
        entry('a/fine', ['R1.1', 'R1.2'], ['portable']),
        entry('a/memory-only', ['R1.2'], ['crash']),
      ]),
    ).toEqual([
      'a/tagged: tagged reference but names no (reference) requirement',
      'a/untagged: portable and pins only (reference) requirements, so it must be tagged reference (skipped at core)',
    ]);
  });

  it('render hand-written ids (portable in bold), generated ones counted per family, and the uncovered list', () => {
    const doc = renderCoverageDoc(TOY, [
      entry('parse/b', ['R1.1'], ['portable']),
      entry('faults/a', ['R1.1', 'R1.3'], ['fs-fault']),
      entry('generated/enum/x', ['R1.1'], ['portable'], 'enum'),
      entry('generated/enum/y', ['R1.1'], [], 'enum'),
    ]);
    expect(doc).toContain('| R1.1 |  | Normative. | 2 | 2 | 4 | [faults/a](../fixtures/faults/a.json), **[parse/b](../fixtures/parse/b.json)**, generated `enum` ×2 (1 portable) |');
    expect(doc).toContain('| R1.4 |  | Also normative. | 0 | 0 | 0 | — |');
    const uncovered = doc.slice(doc.indexOf('## Requirements without a portable scenario'));
    expect(uncovered).toContain('- R1.2 *(reference)*: A choice.');
    expect(uncovered).toContain('- R1.4: Also normative.');
    expect(uncovered).not.toContain('- R1.1');
  });
});

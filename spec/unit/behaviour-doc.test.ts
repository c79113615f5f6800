// docs/behaviour.md is generated from the fixtures; this keeps the committed file equal to the generator's output.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CatalogueEntry } from '../../src/conformance/catalogue.ts';
import { BEHAVIOUR_DOC_COMMAND, compareSections, renderBehaviourCatalogue } from '../../src/conformance/catalogue.ts';
import { loadScenarios } from '../../src/conformance/fixtures.ts';

const ROOT = join(import.meta.dirname, '../..');
const DOC = join(ROOT, 'docs', 'behaviour.md');

function loaded(id: string, contract: string, description: string, tags: string[] = []): CatalogueEntry {
  return { id, scenario: { description, contract, tags } };
}

describe('docs/behaviour.md', () => {
  it('is what the generator produces from fixtures/', () => {
    const stale = `docs/behaviour.md is out of date: run \`${BEHAVIOUR_DOC_COMMAND}\``;
    expect(existsSync(DOC), stale).toBe(true);
    const expected = renderBehaviourCatalogue(loadScenarios(join(ROOT, 'fixtures')));
    expect(readFileSync(DOC, 'utf8') === expected, stale).toBe(true);
  });
});

describe('renderBehaviourCatalogue', () => {
  it('orders sections numerically, component by component', () => {
    const sorted = ['12', '5.10', '4.1', '5', '2', '5.0', '11', '5.9', '4'].sort(compareSections);
    expect(sorted).toEqual(['2', '4', '4.1', '5', '5.0', '5.9', '5.10', '11', '12']);
  });

  it('lists each scenario under its section with a link, the escaped description and its tags', () => {
    const doc = renderBehaviourCatalogue([
      loaded('parse/b', '5.4', "__proto__ is an unknown field, 'Missing source files: <p>'", ['portable', 'hostile']),
      loaded('cli/a', '2', 'exit 2', []),
      loaded('parse/a', '5.4', 'first by id'),
    ]);
    const lines = doc.split('\n');
    expect(lines.indexOf('## 2. Command line')).toBeLessThan(lines.indexOf('## 5. JobSpec 2.1: schema and parse-time checks'));
    expect(lines.indexOf('## 5. JobSpec 2.1: schema and parse-time checks')).toBeLessThan(lines.indexOf('### 5.4 Unknown keys'));
    expect(lines).toContain('- [cli/a](../fixtures/cli/a.json): exit 2 (no tags)');
    const first = lines.indexOf('- [parse/a](../fixtures/parse/a.json): first by id (no tags)');
    const second = lines.indexOf(
      "- [parse/b](../fixtures/parse/b.json): \\_\\_proto\\_\\_ is an unknown field, 'Missing source files: \\<p\\>' `portable` `hostile`",
    );
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(doc.endsWith('\n')).toBe(true);
  });
});

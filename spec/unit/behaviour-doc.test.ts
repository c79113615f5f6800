// docs/behaviour.md is generated from the fixtures; this keeps the committed file equal to the generator's output.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CatalogueEntry } from '../../src/conformance/catalogue.ts';
import { BEHAVIOUR_DOC_COMMAND, renderBehaviourCatalogue } from '../../src/conformance/catalogue.ts';
import { loadScenarios } from '../../src/conformance/fixtures.ts';
import { readSpecOutline } from '../../src/conformance/requirements.ts';

const ROOT = join(import.meta.dirname, '../..');
const DOC = join(ROOT, 'docs', 'behaviour.md');
const TITLES = new Map([
  ['2', 'Command line'],
  ['5', 'JobSpec 2.1'],
  ['11', 'Recovery'],
]);

function loaded(id: string, requirements: string[], description: string, tags: string[] = []): CatalogueEntry {
  return { id, scenario: { description, requirements, tags } };
}

describe('docs/behaviour.md', () => {
  it('is what the generator produces from fixtures/ and SPEC.md', () => {
    const stale = `docs/behaviour.md is out of date: run \`${BEHAVIOUR_DOC_COMMAND}\``;
    expect(existsSync(DOC), stale).toBe(true);
    const expected = renderBehaviourCatalogue(loadScenarios(join(ROOT, 'fixtures')), readSpecOutline(join(ROOT, 'SPEC.md')).sections);
    expect(readFileSync(DOC, 'utf8') === expected, stale).toBe(true);
  });
});

describe('renderBehaviourCatalogue', () => {
  it('groups by the section of the first requirement, sections in numeric order', () => {
    const doc = renderBehaviourCatalogue(
      [loaded('recovery/a', ['R11.2'], 'eleven'), loaded('parse/a', ['R5.4', 'R11.2'], 'five first'), loaded('cli/a', ['R2.1'], 'two')],
      TITLES,
    );
    const lines = doc.split('\n');
    const two = lines.indexOf('## 2. Command line');
    const five = lines.indexOf('## 5. JobSpec 2.1');
    const eleven = lines.indexOf('## 11. Recovery');
    expect(two).toBeGreaterThan(0);
    expect(five).toBeGreaterThan(two);
    expect(eleven).toBeGreaterThan(five);
    const parse = lines.indexOf('- [parse/a](../fixtures/parse/a.json) R5.4, R11.2: five first (no tags)');
    expect(parse).toBeGreaterThan(five);
    expect(parse).toBeLessThan(eleven);
  });

  it('orders a section by first requirement number by number, then by id, and escapes descriptions', () => {
    const doc = renderBehaviourCatalogue(
      [
        loaded('parse/z', ['R5.10'], 'ten'),
        loaded('parse/b', ['R5.9'], "__proto__ is an unknown field, 'Missing source files: <p>'", ['portable', 'hostile']),
        loaded('parse/a', ['R5.9'], 'nine, first by id'),
      ],
      TITLES,
    );
    const lines = doc.split('\n');
    const a = lines.indexOf('- [parse/a](../fixtures/parse/a.json) R5.9: nine, first by id (no tags)');
    const b = lines.indexOf(
      "- [parse/b](../fixtures/parse/b.json) R5.9: \\_\\_proto\\_\\_ is an unknown field, 'Missing source files: \\<p\\>' `portable` `hostile`",
    );
    const z = lines.indexOf('- [parse/z](../fixtures/parse/z.json) R5.10: ten (no tags)');
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(z).toBeGreaterThan(b);
    expect(doc.endsWith('\n')).toBe(true);
  });

  it('names a section that SPEC.md has no heading for by its number', () => {
    expect(renderBehaviourCatalogue([loaded('x/a', ['R7.1'], 'seven')], TITLES).split('\n')).toContain('## 7.');
  });
});

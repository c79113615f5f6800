// Reading SPEC.md's requirement list: ids, kinds, first sentences, sections, and the lines that look like
// requirements but are not written the agreed way.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRequirementIds, firstSentence, parseSpec, readSpecOutline } from '../../src/conformance/requirements.ts';

const SAMPLE = [
  '# SPEC',
  '',
  'Spec version: 1.2.3',
  '',
  '## 5. JobSpec checks',
  '',
  '- **R5.1** A JobSpec has exactly eighteen keys. The table lists them.',
  '- **R5.2** *(reference)* The wording of `Invalid JSON: <message>.` is this',
  '  implementation\'s own. Others may word it otherwise.',
  '- **R5.3** *(memory)* A crash loses nothing',
  '',
  '## 11 Recovery',
  '',
  '- **R11.1** Recovery runs first.',
  '- **R11.1** A second definition of the same id.',
  '- **R11.x** Not an id.',
].join('\n');

describe('parseSpec', () => {
  const outline = parseSpec(SAMPLE);

  it('reads the version and the top-level section headings', () => {
    expect(outline.version).toBe('1.2.3');
    expect([...outline.sections]).toEqual([
      ['5', 'JobSpec checks'],
      ['11', 'Recovery'],
    ]);
  });

  it('reads each id with its kind, its section and the first sentence, continuation lines included', () => {
    expect(outline.requirements.slice(0, 4)).toEqual([
      { id: 'R5.1', section: '5', kind: 'normative', summary: 'A JobSpec has exactly eighteen keys.' },
      { id: 'R5.2', section: '5', kind: 'reference', summary: "The wording of `Invalid JSON: <message>.` is this implementation's own." },
      { id: 'R5.3', section: '5', kind: 'memory', summary: 'A crash loses nothing' },
      { id: 'R11.1', section: '11', kind: 'normative', summary: 'Recovery runs first.' },
    ]);
  });

  it('reports a duplicate id and a malformed requirement line', () => {
    expect(outline.problems).toEqual([
      'line 15: R11.1 is defined twice',
      expect.stringMatching(/^line 16: a requirement item that does not match/),
    ]);
  });

  it('has no version when the line is missing', () => {
    expect(parseSpec('- **R1.1** x').version).toBeNull();
  });
});

describe('firstSentence', () => {
  it('ends at a full stop followed by a space, never inside backticks', () => {
    expect(firstSentence('Use `-f null -. x` here. Then more.')).toBe('Use `-f null -. x` here.');
    expect(firstSentence('Version 2.1 is required')).toBe('Version 2.1 is required');
  });
});

describe('compareRequirementIds', () => {
  it('orders ids number by number', () => {
    expect(['R11.1', 'R5.10', 'R5.9', 'R2.3'].sort(compareRequirementIds)).toEqual(['R2.3', 'R5.9', 'R5.10', 'R11.1']);
  });
});

describe('SPEC.md', () => {
  it('has a version and well-formed, unique requirement ids', () => {
    const outline = readSpecOutline(join(import.meta.dirname, '../../SPEC.md'));
    expect(outline.problems).toEqual([]);
    expect(outline.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(outline.requirements.length).toBeGreaterThan(0);
  });
});

// The README's CLI reference and its table of log events are the ones the declarations make
// (src/readme-reference.ts): a changed option or event fails here until `npm run docs` is run.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_PARTS, withGeneratedParts } from '../../src/readme-reference.ts';
import { LOG_EVENTS } from '../../src/log-events.ts';
import { OPTIONS } from '../../src/options.ts';

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

describe('README.md', () => {
  it('holds the generated CLI reference and log events table as they are now (npm run docs)', () => {
    expect(withGeneratedParts(README) === README, 'README.md is out of date: run `npm run docs`').toBe(true);
  });

  it('so documents every declared option and every declared event', () => {
    for (const option of OPTIONS) expect(README).toContain(`--${option.name}`);
    for (const name of Object.keys(LOG_EVENTS)) expect(README).toContain(`| \`${name}\` |`);
    expect(GENERATED_PARTS.map((p) => p.name)).toEqual(['cli-reference', 'log-events']);
  });

  it('refuses a README whose markers are missing, rather than writing nothing', () => {
    expect(() => withGeneratedParts('# no markers')).toThrow(/generated: cli-reference/);
  });
});

// The JSON Schema files under schema/ are what other harnesses validate with, so they are checked as
// files: each equals what scripts/write-schemas.ts would write now, and every scenario file (fixtures/ and
// suite/), every golden and the manifest validate against the committed file itself, compiled by a plain
// JSON Schema validator (TypeBox's compiler for raw schemas, not the TypeBox definitions they came from).

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Schema from 'typebox/schema';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/conformance/golden.ts';
import { schemaFiles } from '../../src/conformance/json-schemas.ts';

const ROOT = join(import.meta.dirname, '../..');

function jsonFilesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

function validatorOf(schemaPath: string): (file: string) => string[] {
  const validator = Schema.Compile(JSON.parse(readFileSync(join(ROOT, schemaPath), 'utf8')) as Record<string, unknown>);
  return (file) => {
    const [valid, errors] = validator.Errors(JSON.parse(readFileSync(join(ROOT, file), 'utf8')));
    return valid ? [] : errors.slice(0, 3).map((e) => `${file}: ${e.instancePath || '/'} ${e.message}`);
  };
}

describe('JSON Schema files', () => {
  it.each(schemaFiles().map((f) => [f.path, f] as const))('%s is what scripts/write-schemas.ts writes', (path, { document }) => {
    expect(readFileSync(join(ROOT, path), 'utf8'), `${path} is stale: run npm run schemas`).toBe(canonicalJson(document));
  });

  it('every scenario file, in fixtures/ and in suite/, validates against schema/scenario.schema.json', () => {
    const files = [...jsonFilesUnder('fixtures'), ...jsonFilesUnder('suite/scenarios')];
    expect(files.length).toBeGreaterThan(2000);
    expect(files.flatMap(validatorOf('schema/scenario.schema.json'))).toEqual([]);
  });

  it('every golden validates against schema/golden.schema.json', () => {
    const files = jsonFilesUnder('golden');
    expect(files.length).toBeGreaterThan(2000);
    expect(files.flatMap(validatorOf('schema/golden.schema.json'))).toEqual([]);
  });

  it('the manifest validates against schema/manifest.schema.json', () => {
    expect(validatorOf('schema/manifest.schema.json')('suite/manifest.json')).toEqual([]);
  });

  it('the compiled schemas reject what they must (a validator that accepts everything proves nothing)', () => {
    const scenario = Schema.Compile(JSON.parse(readFileSync(join(ROOT, 'schema/scenario.schema.json'), 'utf8')) as Record<string, unknown>);
    const valid = JSON.parse(readFileSync(join(ROOT, 'suite/scenarios/parse/bad-codec.json'), 'utf8')) as Record<string, unknown>;
    expect(scenario.Check(valid)).toBe(true);
    expect(scenario.Check({ ...valid, tags: ['no-such-tag'] })).toBe(false);
    expect(scenario.Check({ ...valid, tier: 'huge' })).toBe(false);
    expect(scenario.Check({ ...valid, steps: [{ run: ['--once'], crash_at_fs_op: 0 }] })).toBe(false);
    expect(scenario.Check({ ...valid, steps: [] })).toBe(false);
    const golden = Schema.Compile(JSON.parse(readFileSync(join(ROOT, 'schema/golden.schema.json'), 'utf8')) as Record<string, unknown>);
    expect(golden.Check({ runs: [{ exit: 'killed', tree: {} }] })).toBe(true);
    expect(golden.Check({ runs: [{ exit: 'crashed', tree: {} }] })).toBe(false);
  });
});

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
import { PROFILE_NAMES } from '../../src/engine/profiles.ts';
import { parseStrictJson } from '../../src/jobspec/json.ts';
import { parseJobSpec } from '../../src/jobspec/parse.ts';

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

  // The JobSpec schema promises (in its description) to accept what the parse checks accept, with
  // proxy_profile a known name or null: every JobSpec of every scenario, hostile and generated ones
  // included, holds it to that. JSON the strict parser refuses (duplicate keys, 1e400, …) is out of
  // reach of any JSON Schema and is left out.
  it('schema/jobspec-2.1.schema.json accepts a scenario JobSpec exactly when the parse checks do (and its profile is known)', () => {
    const validator = Schema.Compile(JSON.parse(readFileSync(join(ROOT, 'schema/jobspec-2.1.schema.json'), 'utf8')) as Record<string, unknown>);
    const knownProfile = (value: unknown): boolean =>
      value === null || value === undefined || PROFILE_NAMES.includes(value as string);
    const disagreements: string[] = [];
    const verdicts = new Set<boolean>();
    let count = 0;
    for (const file of jsonFilesUnder('suite/scenarios')) {
      const { tree } = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { tree: Record<string, unknown> };
      for (const [path, text] of Object.entries(tree)) {
        if (!/^watch\/(pending|running)\/[^/]*\.json$/.test(path) || path.endsWith('.result.json') || typeof text !== 'string') continue;
        if (!parseStrictJson(text).ok) continue;
        const value = JSON.parse(text) as unknown;
        const parsed = parseJobSpec(new TextEncoder().encode(text));
        const expected = parsed.ok && knownProfile((value as Record<string, unknown>)['proxy_profile']);
        count++;
        verdicts.add(expected);
        if (validator.Check(value) !== expected) disagreements.push(`${file} ${path}: the parse checks say ${parsed.ok ? 'ok' : parsed.reason}`);
      }
    }
    expect(count).toBeGreaterThan(2000);
    expect(verdicts).toEqual(new Set([true, false]));
    expect(disagreements).toEqual([]);
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

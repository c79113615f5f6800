// suite/ is the suite as data (spec/suite/suite-files.ts): it must be exactly what scripts/write-suite.ts
// writes now, every entry must be in its exact form, and a scenario must mean the same whether it is read
// from fixtures/ (or built by spec/generated/) or from suite/: the same bytes on disk, the same golden.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import { goldenPathOf, loadScenarios } from '../../src/conformance/fixtures.ts';
import { canonicalJson, firstDifference } from '../../src/conformance/golden.ts';
import { readManifest } from '../../src/conformance/manifest.ts';
import { SpecialEntrySchema } from '../../src/conformance/scenario.ts';
import { selectPortable } from '../../src/conformance/suite.ts';
import type { Placeholders } from '../../src/conformance/tree.ts';
import { isSpecialShaped, placeEntries } from '../../src/conformance/tree.ts';
import { familyOf } from '../generated/index.ts';
import { tierOf } from '../generated/base.ts';
import { FAKE_HOST } from '../harness/fake-host.ts';
import { MEMORY_ROOT, runScenarioInMemory } from '../harness/memory-run.ts';
import { allScenarios, currentSuiteFiles, specVersionOf, suiteFiles } from '../suite/suite-files.ts';

const ROOT = join(import.meta.dirname, '../..');
const SUITE = join(ROOT, 'suite');
const sources = await allScenarios(ROOT);
const { manifest, scenariosDir, goldenDir } = readManifest(SUITE);
const stored = loadScenarios(scenariosDir);
const storedById = new Map(stored.map((s) => [s.id, s.scenario]));

function filesOnDisk(): string[] {
  return readdirSync(SUITE, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(SUITE, join(e.parentPath, e.name)))
    .sort();
}

/** Every entry a scenario creates (its tree, then each write step's) for a given root, as comparable text. */
function placed({ scenario }: LoadedScenario, p: Placeholders): string {
  const sets = [scenario.tree, ...scenario.steps.flatMap((step) => ('write' in step ? [step.write] : []))];
  return sets
    .flatMap((entries) => placeEntries(entries, p))
    .map(({ path, made }) => `${path} ${made.kind === 'file' ? createHash('sha256').update(made.bytes).digest('hex') : JSON.stringify(made)}`)
    .join('\n');
}

describe('suite/', () => {
  it('is exactly what scripts/write-suite.ts writes (run npm run suite after changing a scenario)', async () => {
    const expected = await currentSuiteFiles(ROOT);
    const onDisk = filesOnDisk();
    expect(onDisk.filter((path) => !expected.has(path)), 'files under suite/ that no scenario writes').toEqual([]);
    const stale = [...expected].filter(([path, text]) => !onDisk.includes(path) || readFileSync(join(SUITE, path), 'utf8') !== text).map(([path]) => path);
    expect(stale, 'missing or stale files under suite/').toEqual([]);
  });

  it('holds every scenario of fixtures/ and spec/generated/ once, under the layout the manifest gives', () => {
    expect(stored.map((s) => s.id).sort()).toEqual(sources.map((s) => s.id).sort());
    expect(manifest.layout).toEqual({ scenarios: 'scenarios/<id>.json', goldens: '../golden/<id>.json' });
    expect(goldenDir).toBe(join(ROOT, 'golden'));
    expect(manifest.counts.scenarios).toBe(stored.length);
    expect(manifest.counts.tiers.default + manifest.counts.tiers.full).toBe(stored.length);
    expect(manifest.counts.tags.portable).toBe(stored.filter((s) => s.scenario.tags.includes('portable')).length);
  });

  it('stores every file entry byte-exact: a string, or $base64, $size, $dir, $symlink, $hardlink', () => {
    const notExact = stored.flatMap(({ id, scenario }) =>
      [scenario.tree, ...scenario.steps.flatMap((step) => ('write' in step ? [step.write] : []))].flatMap((entries) =>
        Object.entries(entries)
          .filter(([, entry]) => typeof entry !== 'string' && !(isSpecialShaped(entry) && Value.Check(SpecialEntrySchema, entry) && !('$json' in entry) && !('$media' in entry)))
          .map(([path]) => `${id}: ${path}`),
      ),
    );
    expect(notExact).toEqual([]);
  });

  it('gives each scenario its tier, and each generated one its family (the matrix and most of each bulk family are the full tier)', () => {
    const sourceById = new Map(sources.map((s) => [s.id, s.scenario]));
    for (const { id, scenario } of stored) {
      const generated = id.startsWith('generated/');
      expect(scenario.family, id).toBe(generated ? familyOf(id) : undefined);
      expect(scenario.tier, id).toBe(generated ? tierOf(familyOf(id), id.split('/').slice(2).join('/')) : (sourceById.get(id)?.tier ?? 'default'));
    }
    expect(storedById.get('generated/matrix/h264-mp4-half-proxy_h264_low')?.tier).toBe('full');
  });

  it('creates the same bytes from a suite file as from the scenario it was written from, at any root', () => {
    const roots: Placeholders[] = [
      { root: MEMORY_ROOT, livePid: FAKE_HOST.livePid, host: FAKE_HOST.hostname },
      { root: '/tmp/conformance-x/scenarios/a.b-XYZ', livePid: 4242, host: 'another-host' },
    ];
    const differing = sources.filter((source) => {
      const suite = { id: source.id, scenario: storedById.get(source.id) ?? source.scenario };
      return roots.some((p) => placed(source, p) !== placed(suite, p));
    });
    expect(differing.map((s) => s.id)).toEqual([]);
  });

  it('is run by tier: --tier default leaves the full tier out, --tier full runs every portable scenario', () => {
    const portable = stored.filter((s) => s.scenario.tags.includes('portable'));
    const defaultRun = selectPortable(stored, [], 'default');
    expect(defaultRun.map((s) => s.id)).toEqual(portable.filter((s) => s.scenario.tier === 'default').map((s) => s.id));
    expect(defaultRun.some((s) => s.id.startsWith('generated/matrix/'))).toBe(false);
    expect(selectPortable(stored, [], 'full').map((s) => s.id)).toEqual(portable.map((s) => s.id));
    expect(selectPortable(stored, ['^generated/matrix/'], 'full').length).toBeGreaterThan(0);
  });

  // Every 20th suite file (in id order), run in memory as read from disk: the golden it must match is the
  // one the fixture or generated scenario produced.
  const sample = stored.filter((_, i) => i % 20 === 0);
  it.each(sample.map((s) => [s.id, s] as const))('%s read from suite/ produces its golden', async (_id, { id, scenario }) => {
    const expected: unknown = JSON.parse(readFileSync(goldenPathOf(goldenDir, id), 'utf8'));
    const actual: unknown = JSON.parse(canonicalJson(await runScenarioInMemory(scenario)));
    expect(firstDifference(expected, actual)).toBeNull();
  });
});

describe('the suite manifest', () => {
  it('reads the spec version from SPEC.md, null without it, and refuses a SPEC.md without the line', () => {
    expect(specVersionOf(null)).toBeNull();
    expect(specVersionOf('# Spec\n\nSpec version: 1.2.3\n\n## 1 Principles\n')).toBe('1.2.3');
    expect(() => specVersionOf('# Spec\n')).toThrow('SPEC.md has no "Spec version: X.Y.Z" line');
  });

  it('counts every tier and every tag, zero included', () => {
    const one = sources.filter((s) => s.id === 'parse/bad-codec');
    const counts = JSON.parse(suiteFiles(one, '2.0.0').get('manifest.json') ?? '{}') as typeof manifest;
    expect(counts.spec_version).toBe('2.0.0');
    expect(counts.counts.tiers).toEqual({ default: 1, full: 0 });
    expect(Object.values(counts.counts.tags).reduce((a, b) => a + b, 0)).toBe(one[0]?.scenario.tags.length);
  });
});

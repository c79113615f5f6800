// examples/: one ready JobSpec per FFmpeg profile. Each must get through everything the runner does
// before FFmpeg starts, name its profile in its file name, validate against the published schema file,
// and give the outputs examples/README.md promises; every profile this runner can run has exactly one, and
// README.md shows proxy_h264_low.json as it is.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Schema from 'typebox/schema';
import { describe, expect, it } from 'vitest';
import { findProfile, PROFILE_NAMES } from '../../src/engine/profiles.ts';
import { EXAMPLE_JOBSPEC } from '../../src/jobspec/json-schema.ts';
import type { JobSpec } from '../../src/jobspec/schema.ts';
import { runApp } from '../../src/app.ts';
import type { ValidateReport } from '../../src/commands/validate.ts';
import { createCapturingConsole } from '../harness/fake-hooks.ts';
import { memDeps } from '../support/mem-deps.ts';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLES = join(ROOT, 'examples');
const exampleFiles = readdirSync(EXAMPLES).filter((name) => name.endsWith('.json')).sort();

type Verdict = { ok: true; profile: string; outputs: readonly string[] } | { ok: false; reason: string };

/**
 * What `validate` says about a JobSpec file: the subcommand itself through runApp, on an in-memory disk
 * that holds the JobSpec (at /jobs/<name>), its sources and its output directory.
 */
async function runnerVerdict(bytes: Uint8Array, name = 'example.json'): Promise<Verdict> {
  const spec = JSON.parse(new TextDecoder().decode(bytes)) as Pick<JobSpec, 'sources' | 'output_directory'>;
  const { deps } = memDeps({
    dirs: ['/jobs', spec.output_directory, ...spec.sources.map((source) => dirname(source))],
    files: Object.fromEntries(spec.sources.map((source) => [source, 'media'])),
  });
  await deps.fs.writeFileExclusive(`/jobs/${name}`, bytes);
  const console = createCapturingConsole();
  const exit = await runApp(['validate', '--json', `/jobs/${name}`], { ...deps, console }, new AbortController().signal);
  const report = JSON.parse(console.outLines.join('\n')) as ValidateReport;
  const [file] = report.files;
  if (file === undefined) throw new Error('validate reported no file');
  expect(exit).toBe(file.valid ? 0 : 1);
  if (!file.valid) return { ok: false, reason: file.reason ?? '' };
  return { ok: true, profile: file.profile ?? '', outputs: file.clips.map((clip) => basename(clip.output)) };
}

const read = (name: string): Uint8Array => readFileSync(join(EXAMPLES, name));
const specOf = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as Record<string, unknown>;
const ffmpegProfileNames = PROFILE_NAMES.filter((name) => findProfile(name)?.engine === 'ffmpeg');

describe('examples/', () => {
  it('has exactly one example per profile this runner can run, named after it', () => {
    expect(ffmpegProfileNames).toHaveLength(5);
    expect(exampleFiles).toEqual(ffmpegProfileNames.map((name) => `${name}.json`).sort());
    for (const name of exampleFiles) expect(specOf(name)['proxy_profile'], name).toBe(basename(name, '.json'));
  });

  it.each(exampleFiles)('%s gets through every check the runner makes before FFmpeg, with its profile', async (name) => {
    expect(await runnerVerdict(read(name))).toMatchObject({ ok: true, profile: basename(name, '.json') });
  });

  it.each(exampleFiles)('%s validates against schema/jobspec-2.1.schema.json', (name) => {
    const validator = Schema.Compile(JSON.parse(readFileSync(join(ROOT, 'schema/jobspec-2.1.schema.json'), 'utf8')) as Record<string, unknown>);
    const [valid, errors] = validator.Errors(specOf(name));
    expect(errors.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('examples/README.md has a row per example that names the outputs the runner plans for it', async () => {
    const rows = new Map(
      readFileSync(join(EXAMPLES, 'README.md'), 'utf8')
        .split('\n')
        .flatMap((line) => {
          const row = /^\| `([^`]+\.json)` \|.*\|([^|]*)\|$/.exec(line);
          return row?.[1] === undefined ? [] : [[row[1], row[2]?.match(/`[^`]+`/g) ?? []] as const];
        }),
    );
    expect([...rows.keys()].sort()).toEqual(exampleFiles);
    for (const name of exampleFiles) {
      const verdict = await runnerVerdict(read(name));
      const outputs = verdict.ok ? verdict.outputs : [];
      expect(outputs.length, name).toBe((specOf(name)['sources'] as unknown[]).length);
      expect(rows.get(name), name).toEqual(outputs.map((output) => `\`${output}\``));
    }
  });

  it('the schema’s own example is examples/proxy_h264_low.json', () => {
    expect(specOf('proxy_h264_low.json')).toEqual(EXAMPLE_JOBSPEC);
  });

  it('README.md shows examples/proxy_h264_low.json as it is, under "A JobSpec"', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## A JobSpec\n'));
    expect(section).toContain(`\n\`\`\`json\n${readFileSync(join(EXAMPLES, 'proxy_h264_low.json'), 'utf8')}\`\`\`\n`);
  });

  // README.md tells editors to associate the schema in their settings because of this.
  it('a JobSpec cannot name its schema with "$schema": the runner refuses it as an unknown field', async () => {
    const withSchema = { $schema: '../schema/jobspec-2.1.schema.json', ...specOf('proxy_h264_low.json') };
    expect(await runnerVerdict(new TextEncoder().encode(JSON.stringify(withSchema)))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Unknown fields in JobSpec: [$schema]'),
    });
  });

  // The verdict function must be able to say no, or the tests above prove nothing.
  it('runnerVerdict refuses what the runner refuses: a bad codec, a Resolve profile, a mismatched resolution', async () => {
    const low = specOf('proxy_h264_low.json');
    const verdictOf = (change: Record<string, unknown>): Promise<Verdict> =>
      runnerVerdict(new TextEncoder().encode(JSON.stringify({ ...low, ...change })));
    expect(await verdictOf({ codec: 'h246' })).toMatchObject({ ok: false, reason: expect.stringContaining("Invalid codec 'h246'") });
    expect(await verdictOf({ proxy_profile: 'proxy_prores_hq_resolve' })).toMatchObject({ ok: false, reason: expect.stringContaining('requires the resolve engine') });
    expect(await verdictOf({ resolution: 'quarter' })).toMatchObject({ ok: false, reason: expect.stringContaining("Profile 'proxy_h264_low' produces") });
    expect(await verdictOf({ sources: ['/media/incoming/A001_C003.R3D'] })).toMatchObject({ ok: false, reason: expect.stringContaining('Engine routing failed') });
  });
});

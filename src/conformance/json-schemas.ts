// The JSON Schema files under schema/, each generated from its TypeBox definition (the only source of
// truth): `npx tsx scripts/write-schemas.ts` writes them, spec/scenarios/schemas.test.ts fails when one is
// stale and validates every scenario, golden and the manifest against the files themselves.

import type { TSchema } from 'typebox';
import { jobSpecJsonSchema } from '../jobspec/json-schema.ts';
import { GoldenSchema } from './golden.ts';
import { ManifestSchema } from './manifest.ts';
import { ScenarioSchema } from './scenario.ts';

export interface SchemaFile {
  /** The path under the repository root. */
  readonly path: string;
  readonly document: Record<string, unknown>;
}

function published(schema: TSchema, title: string, description: string): Record<string, unknown> {
  // A JSON round trip drops TypeBox's internal markers and leaves exactly the JSON Schema keywords.
  const plain = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title, description, ...plain };
}

export function schemaFiles(): SchemaFile[] {
  return [
    { path: 'schema/jobspec-2.1.schema.json', document: jobSpecJsonSchema() },
    {
      path: 'schema/scenario.schema.json',
      document: published(
        ScenarioSchema,
        'Scenario',
        'One scenario of the conformance suite: an input tree and the steps acted out on it (spec/README.md). ' +
          'Generated from src/conformance/scenario.ts; do not edit. Tree entries are checked beyond this schema: ' +
          'an object with one key that starts with "$" must be one of the $-entries, and in suite/ every entry is a string ' +
          'or one of $base64, $size, $dir, $symlink, $hardlink.',
      ),
    },
    {
      path: 'schema/golden.schema.json',
      document: published(
        GoldenSchema,
        'Golden file',
        'The expected outcome of a scenario: per run step, the exit and the normalised tree afterwards (spec/README.md). ' +
          'Generated from src/conformance/golden.ts; do not edit.',
      ),
    },
    {
      path: 'schema/manifest.schema.json',
      document: published(
        ManifestSchema,
        'Suite manifest',
        'suite/manifest.json: the suite and spec versions, where scenarios and goldens are, counts per tier and tag. ' +
          'Generated from src/conformance/manifest.ts; do not edit.',
      ),
    },
  ];
}

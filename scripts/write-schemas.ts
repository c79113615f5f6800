// Regenerates every JSON Schema file under schema/ (JobSpec, scenario, golden, suite manifest) from its
// TypeBox definition, the only source of truth (src/conformance/json-schemas.ts lists them).
// Usage: npx tsx scripts/write-schemas.ts (or npm run schemas), after a schema change.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaFiles } from '../src/conformance/json-schemas.ts';
import { canonicalJson } from '../src/conformance/golden.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const { path, document } of schemaFiles()) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), canonicalJson(document));
}

// Regenerates schema/jobspec-2.1.schema.json from the TypeBox definition, the only source of truth.
// Usage: npx tsx scripts/write-jobspec-schema.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jobSpecJsonSchema } from '../src/jobspec/schema.ts';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'jobspec-2.1.schema.json');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(jobSpecJsonSchema(), null, 2)}\n`);

// Rewrites the README's generated parts (the CLI reference, the log events table) from their one
// declaration each (src/readme-reference.ts). Usage: npx tsx scripts/write-readme-reference.ts (or npm run docs).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withGeneratedParts } from '../src/readme-reference.ts';

const readme = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
writeFileSync(readme, withGeneratedParts(readFileSync(readme, 'utf8')));

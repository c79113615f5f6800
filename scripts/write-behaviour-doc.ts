// Regenerates docs/behaviour.md, the catalogue of every hand-written scenario by SPEC.md section.
// Usage: npx tsx scripts/write-behaviour-doc.ts (or npm run docs), after adding or changing a fixture.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderBehaviourCatalogue } from '../src/conformance/catalogue.ts';
import { loadScenarios } from '../src/conformance/fixtures.ts';
import { readSpecOutline } from '../src/conformance/requirements.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'docs', 'behaviour.md');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderBehaviourCatalogue(loadScenarios(join(root, 'fixtures')), readSpecOutline(join(root, 'SPEC.md')).sections));

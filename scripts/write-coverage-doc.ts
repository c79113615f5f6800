// Regenerates docs/coverage.md, the table requirement → scenarios, from SPEC.md, the hand-written
// scenarios and the generated families. Usage: npx tsx scripts/write-coverage-doc.ts (or npm run docs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCoverageDoc } from '../src/conformance/coverage.ts';
import { loadScenarios } from '../src/conformance/fixtures.ts';
import { readSpecOutline } from '../src/conformance/requirements.ts';
import { generatedScenarios } from '../spec/generated/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'docs', 'coverage.md');
const scenarios = [...loadScenarios(join(root, 'fixtures')), ...(await generatedScenarios())];
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderCoverageDoc(readSpecOutline(join(root, 'SPEC.md')), scenarios));

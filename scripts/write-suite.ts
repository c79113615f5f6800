// Writes suite/ (npm run suite): every scenario, hand-written and generated, as suite/scenarios/<id>.json,
// and suite/manifest.json (spec/suite/suite-files.ts says what they hold). Run it after adding or changing
// a fixture or a generated family; a test in npm test fails while suite/ is stale.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentSuiteFiles } from '../spec/suite/suite-files.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const suite = join(root, 'suite');
const files = await currentSuiteFiles(root);
// suite/ belongs to this script alone: start from nothing, so a removed scenario leaves no file behind.
rmSync(suite, { recursive: true, force: true });
for (const [path, text] of files) {
  mkdirSync(dirname(join(suite, path)), { recursive: true });
  writeFileSync(join(suite, path), text);
}
console.log(`suite/: ${files.size - 1} scenarios and the manifest`);

// CONTRIBUTING.md promises a tree of every file with its purpose; this keeps the promise true.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', '.git', 'demo', 'dist', 'fixtures', 'golden', '.tmp']);
/** Folders of generated or data files, listed by folder (by their path: spec/scenarios/ is listed file by file). */
const SKIP_PATHS = new Set(['suite/scenarios']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (SKIP.has(entry.name) || SKIP_PATHS.has(relative(ROOT, path))) return [];
    return entry.isDirectory() ? filesUnder(path) : [relative(ROOT, path)];
  });
}

describe('CONTRIBUTING.md', () => {
  it('lists every file of the repository (fixtures, goldens and suite scenarios by folder)', () => {
    const listed = new Set(
      readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8')
        .split('\n')
        .map((line) => line.split(/\s+/)[0] ?? ''),
    );
    const missing = filesUnder(ROOT).filter((file) => !listed.has(file) && !file.endsWith('.log'));
    expect(missing).toEqual([]);
  });
});

// CONTRIBUTING.md promises a tree of every file with its purpose; this keeps the promise true.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', '.git', 'demo', 'dist', 'fixtures', 'golden', '.tmp']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [relative(ROOT, path)];
  });
}

describe('CONTRIBUTING.md', () => {
  it('lists every file of the repository (fixtures and goldens by folder)', () => {
    const listed = new Set(
      readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8')
        .split('\n')
        .map((line) => line.split(/\s+/)[0] ?? ''),
    );
    const missing = filesUnder(ROOT).filter((file) => !listed.has(file) && !file.endsWith('.log'));
    expect(missing).toEqual([]);
  });
});

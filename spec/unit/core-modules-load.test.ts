// Every module of the runner core loads, and the tables built while loading are whole. A module that
// throws while it loads fails the files that import it statically before any of their tests run, which
// vitest reports as a broken file and a mutation run cannot tell from a pass; importing here, inside the
// tests, makes it one failing test with the module's name.

import { describe, expect, it } from 'vitest';

declare global {
  interface ImportMeta {
    /** Vite's compile-time glob import (vitest transforms it into one import per file). */
    glob(patterns: readonly string[]): Record<string, () => Promise<Record<string, unknown>>>;
  }
}

// Found by pattern, so that a module added, split or renamed is covered without touching this file.
const MODULES = Object.entries(import.meta.glob(['../../src/jobspec/*.ts', '../../src/engine/*.ts', '../../src/runner/*.ts'])).map(
  ([path, load]) => [path.replace('../../', ''), load] as const,
);

// The first import transforms most of the core: on a loaded machine that takes longer than vitest's 5 s.
describe('the runner core', { timeout: 60_000 }, () => {
  it('finds the modules of src/jobspec, src/engine and src/runner', () => {
    expect(MODULES.map(([path]) => path)).toEqual(expect.arrayContaining(['src/jobspec/parse.ts', 'src/engine/profiles.ts', 'src/runner/job.ts']));
  });

  it.each(MODULES)('%s loads and exports something', async (_name, load) => {
    expect(Object.keys(await load()).length).toBeGreaterThan(0);
  });

  it('builds the whole profile table while loading: ten profiles, each found under its own name', async () => {
    const { PROFILE_NAMES, findProfile } = await import('../../src/engine/profiles.ts');
    expect(PROFILE_NAMES).toHaveLength(10);
    for (const name of PROFILE_NAMES) expect(findProfile(name)?.name).toBe(name);
    expect(PROFILE_NAMES.filter((name) => findProfile(name)?.engine === 'resolve')).toHaveLength(5);
  });
});

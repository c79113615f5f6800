import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import type { TestSpecification } from 'vitest/node';
import { BaseSequencer } from 'vitest/node';

// The tests `npm run mutate` runs against each mutant: the in-process part of the default project (unit
// tests and the golden scenarios on memfs). Left out: the end-to-end and conformance suites, which start
// processes; the adapter tests other than node-fs's (they reach no module under src/jobspec, src/engine or
// src/runner; node-fs's stay so that `--mutate src/adapters/node-fs.ts` can check its fsyncs); and the
// CONTRIBUTING tree check, which would see Stryker's sandbox files.

/** Cheap, precise suites first: under `bail` a mutant a unit test kills never waits for 2,000 scenarios. */
const ORDER = ['spec/unit/', 'spec/scenarios/golden.test.ts', 'spec/scenarios/'];

function rank(root: string, spec: TestSpecification): number {
  const path = relative(root, spec.moduleId);
  const index = ORDER.findIndex((prefix) => path.startsWith(prefix));
  return index === -1 ? ORDER.length : index;
}

class CheapFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    return [...files].sort((a, b) => rank(root, a) - rank(root, b) || (a.moduleId < b.moduleId ? -1 : a.moduleId > b.moduleId ? 1 : 0));
  }
}

export default defineConfig({
  test: {
    include: ['spec/unit/*.test.ts', 'spec/unit/adapters/node-fs*.test.ts', 'spec/scenarios/**/*.test.ts'],
    exclude: ['spec/unit/contributing.test.ts'],
    // The crash family is left out: see spec/scenarios/generated.test.ts (npm run test:crash explores crashes).
    env: { TZ: 'UTC', GENERATED_SKIP: 'crash' },
    sequence: { sequencer: CheapFirstSequencer },
    // Mutant runs share two loaded cores with everything else; a slow test is not a failing one.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

// Design section 4: this project's own runner, run through its CLI on real folders with the stand-in
// FFmpeg, must pass every portable scenario at `strict` level. Also proves the portable set stays big
// enough to be worth running against other implementations.

import { describe, expect, it } from 'vitest';
import { OUR_IMPL, runConformance } from './conformance-cli.ts';

const MIN_PORTABLE = 150;

describe('self-conformance', () => {
  it(`passes every portable scenario (at least ${MIN_PORTABLE}) at strict level through the CLI`, async () => {
    const run = await runConformance(OUR_IMPL, ['--level', 'strict']);
    const lines = run.stdout.split('\n');
    // Shown in the test output: the count, the summary and the time, for whoever watches CI.
    console.log(lines.filter((line) => /^(Checking|\d+ passed|Time:|FAIL)/.test(line)).join('\n'));

    expect(run.stderr).toBe('');
    expect(run.scenarios.filter((s) => s.outcome !== 'pass').map((s) => `${s.id}: ${s.first_difference ?? s.error}`)).toEqual([]);
    expect(run.scenarios.length).toBeGreaterThanOrEqual(MIN_PORTABLE);
    expect(lines).toContain(`${run.scenarios.length} passed, 0 failed`);
    expect(run.exitCode).toBe(0);
  });
});

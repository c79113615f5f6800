// The errno matrix (reliability section 4): for each workload, every operation of its run × ENOSPC, EIO,
// EACCES, EPERM, EMFILE, ENOENT, EEXIST, EXDEV × once, persistent and (ENOSPC, EIO) full disk, then a
// clean restart. See errno-cases.ts for the rules; a failure names the workload and the case, which as
// the step `fail_fs_op` is a scenario to save under fixtures/faults/.

import { afterAll, describe, expect, it } from 'vitest';
import { baselineOf, casesOf, errnoCaseProblems } from './errno-cases.ts';
import { ERRNO_WORKLOADS } from './workloads.ts';

const totals = { cases: 0, violations: 0 };

describe('errno matrix (memfs, fault injection)', () => {
  afterAll(() => {
    console.log(`errno cases: ${totals.cases}, violations: ${totals.violations}`);
  });

  it.each(ERRNO_WORKLOADS.map((w) => [w.name, w] as const))('%s: every operation × every errno × once/persistent/full disk', async (_name, workload) => {
    const baseline = await baselineOf(workload);
    const shown: string[] = [];
    const cases = casesOf(baseline);
    for (const c of cases) {
      const problems = await errnoCaseProblems(workload, baseline, c);
      if (problems.length === 0) continue;
      totals.violations += 1;
      if (shown.length < 5) shown.push(`${workload.name} ${JSON.stringify(c)}: ${problems.slice(0, 3).join('; ')}`);
    }
    totals.cases += cases.length;
    expect(shown).toEqual([]);
    expect(cases.length).toBeGreaterThan(1000);
  });
});

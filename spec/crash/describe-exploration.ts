// The crash exploration's test body, for each file that explores some workloads (one worker per file:
// each exploration keeps every surviving state of its workload while it runs, and a worker that explored
// all of them in turn outgrew a Node heap).

import { afterAll, describe, expect, it } from 'vitest';
import { exploreWorkload } from './explore.ts';
import type { Workload } from './workloads.ts';

export function describeExploration(title: string, workloads: readonly Workload[]): void {
  const totals = { kill: 0, powerCut: 0, recovery: 0, violations: 0 };

  describe(title, () => {
    afterAll(() => {
      console.log(
        `crash points: ${totals.kill} (kill) + ${totals.powerCut} (power cut), recovery crash points: ${totals.recovery}, violations: ${totals.violations}`,
      );
    });

    it.each(workloads.map((w) => [w.name, w] as const))('%s: every crash point, then recovery crashed at each of its operations', async (_name, workload) => {
      const explored = await exploreWorkload(workload);
      totals.kill += explored.points.kill;
      totals.powerCut += explored.points['power cut'];
      totals.recovery += explored.recoveryPoints;
      totals.violations += explored.findings.length;
      const shown = explored.findings.slice(0, 5).map((f) => `${f.workload} ${JSON.stringify(f.scenario.steps)}: ${f.problems.slice(0, 3).join('; ')}`);
      expect(shown).toEqual([]);
      // The loop must have run to the end of the workload, not stopped at once.
      expect(explored.points.kill).toBeGreaterThan(30);
      expect(explored.points['power cut']).toBe(explored.points.kill + 1);
      expect(explored.recoveryPoints).toBeGreaterThan(0);
    });
  });
}

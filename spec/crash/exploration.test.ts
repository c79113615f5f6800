// Exhaustive crash exploration (reliability section 4): every crash point of every workload under the
// process-kill and the power-cut model, a restart after each, and a crash at every operation of each
// distinct surviving state's recovery. See explore.ts for what is checked. A failure lists the workload
// and the steps: with the workload's tree (spec/crash/workloads.ts) that is a scenario to save under
// fixtures/recovery/ as it is.

import { afterAll, describe, expect, it } from 'vitest';
import { exploreWorkload } from './explore.ts';
import { EXPLORED } from './workloads.ts';

const totals = { kill: 0, powerCut: 0, recovery: 0, violations: 0 };

describe('crash exploration (memfs, durability shadow)', () => {
  afterAll(() => {
    console.log(
      `crash points: ${totals.kill} (kill) + ${totals.powerCut} (power cut), recovery crash points: ${totals.recovery}, violations: ${totals.violations}`,
    );
  });

  it.each(EXPLORED.map((w) => [w.name, w] as const))('%s: every crash point, then recovery crashed at each of its operations', async (_name, workload) => {
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

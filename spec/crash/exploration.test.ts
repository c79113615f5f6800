// Exhaustive crash exploration (reliability section 4): every crash point of every workload under the
// process-kill and the power-cut model, a restart after each, and a crash at every operation of each
// distinct surviving state's recovery. See explore.ts for what is checked. A failure lists the workload
// and the steps: with the workload's tree (spec/crash/workloads.ts) that is a scenario to save under
// fixtures/recovery/ as it is.

import { describeExploration } from './describe-exploration.ts';
import { EXPLORED } from './workloads.ts';

describeExploration('crash exploration (memfs, durability shadow)', EXPLORED);

// The crash exploration of a runner started with --shared (spec/crash/workloads.ts, SHARED_RUNNER), in a
// file (so a worker) of its own: its lease, its folder running/<id>/, a restart taking that folder over.
// What exploration.test.ts checks, the same way (describe-exploration.ts).

import { describeExploration } from './describe-exploration.ts';
import { SHARED_RUNNER } from './workloads.ts';

describeExploration('crash exploration of a --shared runner (memfs, durability shadow)', [SHARED_RUNNER]);

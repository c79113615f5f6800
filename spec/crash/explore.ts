// Exhaustive crash exploration (reliability section 4, as SQLite's tests do it): run a workload with a
// crash before operation k = 1, 2, … until a run finishes without reaching k, under the process-kill and
// the power-cut model (and a power cut right after a clean run); after each crash, restart (recovery +
// --once) twice and check the invariants and that the second restart changes nothing. Then, for each
// distinct surviving state (what is visible and what is durable), crash its restart at each operation of
// startup and recovery (everything before the scan lists pending/) under both models, and after a kill
// also cut the power at every later operation of the restart; restart again and check. Where the outcome
// cannot depend on which model lost what, the final tree must equal that of the uninterrupted recovery.
// Every case is an ordinary scenario (tree + steps), so a failing one can be saved as a fixture as printed.

import type { Golden } from '../../src/conformance/golden.ts';
import { firstDifference } from '../../src/conformance/golden.ts';
import type { Tree } from '../../src/conformance/normalize.ts';
import { maskStamps } from '../../src/runner/filing-names.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import type { RunStep, Step } from '../../src/conformance/steps.ts';
import type { FsOp } from '../harness/crash-at-op-fs.ts';
import { recordFsOps } from '../harness/crash-at-op-fs.ts';
import type { RunReport } from '../harness/memory-run.ts';
import { MEMORY_ROOT, runScenarioInMemory } from '../harness/memory-run.ts';
import { createFakeHost } from '../harness/fake-host.ts';
import { invariantProblems } from '../generated/crash-invariants.ts';
import type { Workload } from './workloads.ts';

export type CrashModel = 'kill' | 'power cut';
export const MODELS: readonly CrashModel[] = ['kill', 'power cut'];

/** A workload's run: `--once` and the workload's own arguments. */
function runOf(workload: Pick<Workload, 'args'>): RunStep {
  return { run: ['--once', ...(workload.args ?? [])] };
}

export function crashStep(model: CrashModel, k: number, workload: Pick<Workload, 'args'> = {}): RunStep {
  return model === 'kill' ? { ...runOf(workload), crash_at_fs_op: k } : { ...runOf(workload), power_cut_at_fs_op: k };
}

export interface Played {
  readonly scenario: Scenario;
  readonly golden: Golden;
  readonly reports: readonly RunReport[];
  /** Each run's state key, taken right after it (RunReport.stateKey describes the volume as it is now). */
  readonly stateKeys: readonly string[];
  /** The operations each run made (the faulted one excluded). */
  readonly ops: ReadonlyArray<readonly FsOp[]>;
}

/** What a workload starts from: its tree, and the folders of it on volumes without hard links. */
export type Start = Pick<Workload, 'tree' | 'volumes' | 'linuxHost'>;

/** Plays `steps` on `start`; `keyRun` names the run whose state key is wanted (taking one costs a walk). */
export async function play(start: Start, steps: Step[], description = 'crash exploration', keyRun = -1): Promise<Played> {
  const scenario: Scenario = {
    description,
    requirements: ['R4.14', 'R11.9'],
    tags: ['crash', 'recovery'],
    tree: start.tree,
    steps,
    ...(start.volumes === undefined ? {} : { volumes: start.volumes }),
  };
  const reports: RunReport[] = [];
  const stateKeys: string[] = [];
  const ops: Array<readonly FsOp[]> = [];
  const golden = await runScenarioInMemory(scenario, {
    ...(start.linuxHost === true ? { host: () => ({ ...createFakeHost(), bootId: 'scenario-boot', pidNamespace: 'pid:[4026531836]' }) } : {}),
    exactNames: true,
    // Always: the shadow adds its own awaits, and with several workers the interleaving of their operations
    // (so which one is operation k) must be the same in every play of a workload.
    trackDurability: true,
    onRun: (report) => {
      reports.push(report);
      stateKeys.push(report.run === keyRun ? report.stateKey() : '');
    },
    wrapFs: (fs) => {
      const recorder = recordFsOps(fs);
      ops.push(recorder.ops);
      return recorder.fs;
    },
  });
  return { scenario, golden, reports, stateKeys, ops };
}

/** Operations of a run before its scan lists pending/: folder checks, the lock, recovery. */
export function startupOps(ops: readonly FsOp[]): number {
  const scan = ops.findIndex((op) => op.name === 'readdir' && op.paths[0] === `${MEMORY_ROOT}/watch/pending`);
  return scan === -1 ? ops.length : scan;
}

/** Trees compared across runs made at different instants: destination stamps do not matter there. */
function unstamped(tree: Tree): string {
  return JSON.stringify(Object.entries(tree).map(([path, content]) => [maskStamps(path), content]));
}

export interface Finding {
  readonly workload: string;
  readonly problems: readonly string[];
  readonly scenario: Scenario;
}

export interface Exploration {
  readonly points: Record<CrashModel, number>;
  recoveryPoints: number;
  readonly findings: Finding[];
}

/** A surviving state: the steps that lead to it, whether everything in it is durable, its clean recovery. */
interface Survivor {
  readonly prefix: Step[];
  readonly durable: boolean;
  /** Operations of the restart's startup and recovery (before its scan), and of the whole restart. */
  readonly recoveryOps: number;
  readonly restartOps: number;
  readonly recoveredTree: string;
}

function check(workload: Workload, played: Played, extra: readonly string[] = []): Finding | null {
  const problems = [...invariantProblems(played.scenario, played.golden.runs, { settledAtEnd: true }), ...extra];
  return problems.length === 0 ? null : { workload: workload.name, problems, scenario: played.scenario };
}

/**
 * Restarts twice after `prefix` (which ends in a crash) and checks; records the surviving state when it is
 * new. False, and nothing checked, when the last prefix run finished before reaching its crash point.
 */
async function afterCrash(workload: Workload, prefix: Step[], durable: boolean, out: Exploration, survivors: Map<string, Survivor>): Promise<boolean> {
  const played = await play(workload, [...prefix, runOf(workload), runOf(workload)], undefined, prefix.length - 1);
  if (played.reports[prefix.length - 1]?.faultReached !== true) return false;
  const [restart, again] = played.golden.runs.slice(prefix.length);
  const extra = restart !== undefined && again !== undefined && unstamped(restart.tree) !== unstamped(again.tree)
    ? [`a second restart changed the tree: ${firstDifference(restart.tree, again.tree)}`]
    : [];
  const finding = check(workload, played, extra);
  if (finding !== null) out.findings.push(finding);
  const key = played.stateKeys[prefix.length - 1] ?? '';
  if (!survivors.has(key) && restart !== undefined) {
    const ops = played.ops[prefix.length] ?? [];
    survivors.set(key, { prefix, durable, recoveryOps: startupOps(ops), restartOps: ops.length, recoveredTree: unstamped(restart.tree) });
  }
  return true;
}

/**
 * Crashes the restart of one surviving state at each operation of its startup and recovery, under both
 * models. Past recovery the restart is an ordinary run, which the first loop already crashes everywhere
 * from a durable start; what that loop cannot reach is a power cut that also drops what a killed run left
 * unsynced (a folder it created, a claim it made): after a kill, power cuts go on through the whole restart.
 */
async function crashRecovery(workload: Workload, survivor: Survivor, out: Exploration): Promise<void> {
  for (const model of MODELS) {
    const last = model === 'power cut' && !survivor.durable ? survivor.restartOps : survivor.recoveryOps;
    for (let j = 1; j <= last; j += 1) {
      const played = await play(workload, [...survivor.prefix, crashStep(model, j, workload), runOf(workload)]);
      out.recoveryPoints += 1;
      const final = played.golden.runs[played.golden.runs.length - 1];
      // A power cut after a kill may drop what the killed run did without fsyncing, and so lead elsewhere.
      const comparable = j <= survivor.recoveryOps && (model === 'kill' || survivor.durable);
      const extra = comparable && final !== undefined && unstamped(final.tree) !== survivor.recoveredTree
        ? [`recovery crashed at operation ${j} (${model}) ends in another tree than an uninterrupted recovery`]
        : [];
      const finding = check(workload, played, extra);
      if (finding !== null) out.findings.push(finding);
    }
  }
}

export async function exploreWorkload(workload: Workload): Promise<Exploration> {
  const out: Exploration = { points: { kill: 0, 'power cut': 0 }, recoveryPoints: 0, findings: [] };
  const survivors = new Map<string, Survivor>();
  for (const model of MODELS) {
    for (let k = 1; await afterCrash(workload, [crashStep(model, k, workload)], model === 'power cut', out, survivors); k += 1) {
      out.points[model] += 1;
    }
  }
  // The power fails right after a clean run: what the run reported must already be durable.
  if (await afterCrash(workload, [runOf(workload), crashStep('power cut', 1, workload)], true, out, survivors)) out.points['power cut'] += 1;
  for (const survivor of survivors.values()) await crashRecovery(workload, survivor, out);
  return out;
}

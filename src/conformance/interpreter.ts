// The one interpreter of scenario files (design section 2): it walks the steps, materialises every tree
// entry once, resolves the placeholders of run steps, and records the normalised tree after each run. What
// a step does to a filesystem is left to a backend, as go-internal's testscript leaves commands to its
// Params: memfs with the fake clock and transcoder (spec/harness/memory-run.ts), or a real directory and
// another implementation's command line (external-run.ts). A new step kind is one entry of StepSchema
// (steps.ts), one case below and one method of ScenarioBackend; the compiler asks for each.

import type { Tree } from './normalize.ts';
import type { Scenario } from './scenario.ts';
import type { ConcurrentRun, RunStep } from './steps.ts';
import type { PlacedEntry, Placeholders } from './tree.ts';
import { placeEntries, substitute } from './tree.ts';

/** A run step with its placeholders resolved: the folder argument, then the arguments after it. */
export interface Invocation {
  readonly folder: string;
  readonly args: readonly string[];
}

/** What a filesystem and a runner do for each kind of step. `Exit` is how a run can end there. */
export interface ScenarioBackend<Exit> {
  /** The values {ROOT}, {LIVE_PID} and {HOST} take here. */
  readonly placeholders: Placeholders;
  /** Creates the scenario's input tree (before any step). */
  setUp(entries: readonly PlacedEntry[]): void;
  /** `write`: adds entries to the tree. */
  write(entries: readonly PlacedEntry[]): void;
  /** `advance_clock_seconds`: lets that much time pass for the runner. */
  advanceClock(seconds: number): void;
  /** `run`: runs the runner once and says how it ended. */
  run(step: RunStep, invocation: Invocation): Promise<Exit>;
  /** `concurrently`: starts one runner per invocation at once and says how each ended, in the same order. */
  runTogether(runs: readonly ConcurrentRun[], invocations: readonly Invocation[]): Promise<Exit[]>;
  /** The normalised tree under the root now. */
  snapshot(): Tree;
}

export interface InterpretedRun<Exit> {
  /** A run step's exit; a concurrently step's exits, sorted (sortedExits). */
  readonly exit: Exit | Exit[];
  readonly tree: Tree;
}

function unknownStep(step: never): never {
  throw new Error(`unknown step kind: ${JSON.stringify(step)}`);
}

/**
 * The exits of runners that ran together, in one order whatever order they ended in: which runner got
 * which job is up to timing, so only how many ended each way is the scenario's outcome. Codes ascending,
 * then words ("killed") in code-unit order.
 */
export function sortedExits<Exit>(exits: readonly Exit[]): Exit[] {
  return [...exits].sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'number' || typeof b === 'number') return typeof a === 'number' ? -1 : 1;
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  });
}

function invocationOf(step: RunStep | ConcurrentRun, p: Placeholders): Invocation {
  return { folder: substitute(step.folder ?? '{ROOT}/watch', p), args: step.run.map((arg) => substitute(arg, p)) };
}

/** Acts `scenario` out on `backend`: one entry per run step, in order, as golden files hold them. */
export async function interpretScenario<Exit>(scenario: Scenario, backend: ScenarioBackend<Exit>): Promise<InterpretedRun<Exit>[]> {
  const p = backend.placeholders;
  backend.setUp(placeEntries(scenario.tree, p));
  const runs: InterpretedRun<Exit>[] = [];
  for (const step of scenario.steps) {
    if ('run' in step) runs.push({ exit: await backend.run(step, invocationOf(step, p)), tree: backend.snapshot() });
    else if ('concurrently' in step) {
      const invocations = step.concurrently.map((run) => invocationOf(run, p));
      runs.push({ exit: sortedExits(await backend.runTogether(step.concurrently, invocations)), tree: backend.snapshot() });
    } else if ('advance_clock_seconds' in step) backend.advanceClock(step.advance_clock_seconds);
    else if ('write' in step) backend.write(placeEntries(step.write, p));
    else unknownStep(step);
  }
  return runs;
}

// The one interpreter of scenario files (design section 2): it walks the steps, materialises every tree
// entry once, resolves the placeholders of run steps, and records the normalised tree after each run. What
// a step does to a filesystem is left to a backend, as go-internal's testscript leaves commands to its
// Params: memfs with the fake clock and transcoder (spec/harness/memory-run.ts), or a real directory and
// another implementation's command line (external-run.ts). A new step kind is one entry of StepSchema
// (steps.ts), one case below and one method of ScenarioBackend; the compiler asks for each.

import type { Tree } from './normalize.ts';
import type { Scenario } from './scenario.ts';
import type { RunStep } from './steps.ts';
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
  /** The normalised tree under the root now. */
  snapshot(): Tree;
}

export interface InterpretedRun<Exit> {
  readonly exit: Exit;
  readonly tree: Tree;
}

function unknownStep(step: never): never {
  throw new Error(`unknown step kind: ${JSON.stringify(step)}`);
}

function invocationOf(step: RunStep, p: Placeholders): Invocation {
  return { folder: substitute(step.folder ?? '{ROOT}/watch', p), args: step.run.map((arg) => substitute(arg, p)) };
}

/** Acts `scenario` out on `backend`: one entry per run step, in order, as golden files hold them. */
export async function interpretScenario<Exit>(scenario: Scenario, backend: ScenarioBackend<Exit>): Promise<InterpretedRun<Exit>[]> {
  const p = backend.placeholders;
  backend.setUp(placeEntries(scenario.tree, p));
  const runs: InterpretedRun<Exit>[] = [];
  for (const step of scenario.steps) {
    if ('run' in step) runs.push({ exit: await backend.run(step, invocationOf(step, p)), tree: backend.snapshot() });
    else if ('advance_clock_seconds' in step) backend.advanceClock(step.advance_clock_seconds);
    else if ('write' in step) backend.write(placeEntries(step.write, p));
    else unknownStep(step);
  }
  return runs;
}

// Runs one scenario against another implementation's command line (design section 4): the tree is
// materialised in a real temporary directory, every `run` step runs the command there with the stand-in
// FFmpeg first on PATH, and the normalised tree after each run is recorded in the shape goldens have.

import type { Tree } from './normalize.ts';
import type { Scenario, Step } from './scenario.ts';
import { faultFieldsOf } from './scenario.ts';
import { snapshotDirectory } from './snapshot.ts';
import type { Placeholders } from './tree.ts';
import { substitute } from './tree.ts';
import { ageDiskTree, writeDiskEntries } from './disk-tree.ts';
import { buildImplCommand } from './impl-command.ts';
import type { ExternalExit } from './run-command.ts';
import { runCommand } from './run-command.ts';
import type { StandInPaths } from './stand-in-bin.ts';

export interface ExternalRunOptions {
  /** The implementation's command line, with `{watch}` where the folder goes. */
  readonly impl: string;
  readonly paths: StandInPaths;
  /** The environment the implementation inherits (PATH and TZ are replaced). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** {LIVE_PID}: a process that stays alive during the run (the conformance runner itself). */
  readonly livePid: number;
  /** {HOST}: this host's name. */
  readonly host: string;
  readonly runTimeoutMs: number;
  readonly killGroup: (pgid: number) => void;
}

export interface ExternalRunOutcome {
  readonly exit: ExternalExit;
  readonly tree: Tree;
}

export interface ExternalRunLog {
  readonly command: string;
  readonly exit: ExternalExit;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface ExternalScenarioRun {
  readonly runs: ExternalRunOutcome[];
  readonly logs: ExternalRunLog[];
}

/** Why a step cannot be acted out through a command line, or null. */
export function unsupportedStep(step: Step): string | null {
  if ('stop_after_seconds' in step && step.stop_after_seconds !== undefined) return 'stop_after_seconds needs the in-memory clock';
  const fault = 'run' in step ? faultFieldsOf(step)[0] : undefined;
  if (fault !== undefined) return `${fault} needs the in-memory filesystem`;
  return null;
}

/** `root` is an empty directory, given by its real path (runners report real paths; {ROOT} must match). */
export async function runScenarioExternally(scenario: Scenario, root: string, options: ExternalRunOptions): Promise<ExternalScenarioRun> {
  const placeholders: Placeholders = { root, livePid: options.livePid, host: options.host };
  const env = {
    ...options.env,
    PATH: scenario.ffmpeg_installed === false ? options.paths.withoutFfmpeg : options.paths.withFfmpeg,
    TZ: 'UTC',
  };
  writeDiskEntries(root, scenario.tree, placeholders, Date.now());
  const runs: ExternalRunOutcome[] = [];
  const logs: ExternalRunLog[] = [];
  for (const step of scenario.steps) {
    const unsupported = unsupportedStep(step);
    if (unsupported !== null) throw new Error(`this scenario cannot run through a command line: ${unsupported}`);
    if ('run' in step) {
      const folder = substitute(step.folder ?? '{ROOT}/watch', placeholders);
      const command = buildImplCommand(options.impl, folder, step.run.map((arg) => substitute(arg, placeholders)));
      const run = await runCommand(command, { cwd: root, env, timeoutMs: options.runTimeoutMs, killGroup: options.killGroup });
      logs.push({ command, ...run });
      runs.push({ exit: run.exit, tree: snapshotDirectory(root) });
    } else if ('advance_clock_seconds' in step) {
      ageDiskTree(root, step.advance_clock_seconds);
    } else {
      writeDiskEntries(root, step.write, placeholders, Date.now());
    }
  }
  return { runs, logs };
}

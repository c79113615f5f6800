// The command-line backend of the scenario interpreter (design section 4): the tree lives in a real
// temporary directory, every `run` step runs another implementation's command line there with the stand-in
// FFmpeg first on PATH, and "time passing" (`advance_clock_seconds`) is acted out by moving every mtime
// under the root back by that much; a `concurrently` step starts every runner's command line at once.
// Steps that need the in-memory harness are refused.

import { linkSync, lstatSync, lutimesSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeName, nodePathOf } from '../path-bytes.ts';
import type { InterpretedRun, Invocation, ScenarioBackend } from './interpreter.ts';
import { interpretScenario } from './interpreter.ts';
import type { Scenario } from './scenario.ts';
import { snapshotDirectory } from './snapshot.ts';
import { memoryOnlyReasons } from './steps.ts';
import type { EntryMaker } from './tree.ts';
import { createEntries } from './tree.ts';
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

export type ExternalRunOutcome = InterpretedRun<ExternalExit>;

export interface ExternalRunLog {
  /** The outcome (golden `runs[i]`) this command belongs to: a concurrently step has one log per runner. */
  readonly run: number;
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

/**
 * Makes `seconds` pass for everything under `root`. The only clock-dependent behaviour a scenario can
 * observe through a real runner is readiness (a file's mtime against the runner's clock; timestamps are
 * normalised away), so ageing the files is the same as advancing the runner's clock.
 */
export function ageDiskTree(root: string, seconds: number): void {
  const seen = new Set<string>(); // two names of one inode (a hard link) age once
  const walk = (dir: string): void => {
    for (const name of readdirSync(nodePathOf(dir), { encoding: 'buffer' })) {
      const path = join(dir, decodeName(name));
      const disk = nodePathOf(path);
      const stat = lstatSync(disk);
      const inode = `${stat.dev}:${stat.ino}`;
      if (seen.has(inode)) continue;
      seen.add(inode);
      const atime = stat.atimeMs / 1000 - seconds;
      const mtime = stat.mtimeMs / 1000 - seconds;
      if (stat.isSymbolicLink()) lutimesSync(disk, atime, mtime);
      else utimesSync(disk, atime, mtime);
      if (stat.isDirectory()) walk(path);
    }
  };
  walk(root);
}

export type DiskBackend = ScenarioBackend<ExternalExit> & { readonly logs: readonly ExternalRunLog[] };

/**
 * A backend on the directory `root`, which must be empty and given by its real path (runners report real
 * paths; {ROOT} must match). Placeholders are replaced in the text of JSON files, so the root must be a
 * path JSON writes without escapes.
 */
export function createDiskBackend(scenario: Pick<Scenario, 'ffmpeg_installed'>, root: string, options: ExternalRunOptions): DiskBackend {
  if (JSON.stringify(root) !== `"${root}"`) throw new Error(`the scenario folder ${root} holds a character JSON would escape`);
  const env = {
    ...options.env,
    PATH: scenario.ffmpeg_installed === false ? options.paths.withoutFfmpeg : options.paths.withFfmpeg,
    TZ: 'UTC',
  };
  const logs: ExternalRunLog[] = [];
  // Paths that carry bytes which are not UTF-8 (path-bytes.ts) are written as exactly those bytes.
  const maker: EntryMaker = {
    mkdirSync: (path, how) => mkdirSync(nodePathOf(path), how),
    writeFileSync: (path, data) => writeFileSync(nodePathOf(path), data),
    symlinkSync: (target, path) => symlinkSync(nodePathOf(target), nodePathOf(path)),
    linkSync: (existing, path) => linkSync(nodePathOf(existing), nodePathOf(path)),
    utimesSync: (path, atime, mtime) => utimesSync(nodePathOf(path), atime, mtime),
  };
  // Entries get the mtime "now": what a user drops is fresh, and only advance_clock_seconds ages it.
  const write: DiskBackend['write'] = (entries) => createEntries(maker, root, entries, Date.now() / 1000);
  let outcomes = 0;
  const runOne = async ({ folder, args }: Invocation, outcome: number): Promise<ExternalExit> => {
    const command = buildImplCommand(options.impl, folder, args);
    const run = await runCommand(command, { cwd: root, env, timeoutMs: options.runTimeoutMs, killGroup: options.killGroup });
    logs.push({ run: outcome, command, ...run });
    return run.exit;
  };
  return {
    placeholders: { root, livePid: options.livePid, host: options.host },
    logs,
    setUp: write,
    write,
    advanceClock: (seconds) => ageDiskTree(root, seconds),
    async run(step, invocation) {
      const [unsupported] = memoryOnlyReasons(step);
      if (unsupported !== undefined) throw new Error(`this scenario cannot run through a command line: ${unsupported}`);
      return runOne(invocation, outcomes++);
    },
    // Every runner is its own process group, started in the same turn: as close to "at once" as processes get.
    runTogether(_runs, invocations) {
      const outcome = outcomes++;
      return Promise.all(invocations.map((invocation) => runOne(invocation, outcome)));
    },
    snapshot: () => snapshotDirectory(root, { host: options.host }),
  };
}

/** One scenario against an implementation's command line, in the empty directory `root`. */
export async function runScenarioExternally(scenario: Scenario, root: string, options: ExternalRunOptions): Promise<ExternalScenarioRun> {
  const backend = createDiskBackend(scenario, root, options);
  const runs = await interpretScenario(scenario, backend);
  return { runs, logs: [...backend.logs] };
}

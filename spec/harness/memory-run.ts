// Runs a scenario in memory: the tree is materialised in memfs, every `run` step calls the runner
// exactly as src/cli.ts does (runApp) with the fake clock, host and transcoder, and the normalised
// tree after each run is recorded. The result is what golden files hold. A run step's fault (a crash, a
// power cut or an errno at the k-th fs operation) is injected by fault-fs.ts; a power cut then rebuilds
// the volume from the durability shadow (durability.ts), which is kept whenever a step cuts the power.

import { dirname, join } from 'node:path';
import { Volume } from 'memfs';
import { runApp } from '../../src/app.ts';
import { createMemFs } from './mem-fs.ts';
import type { Fs, Log } from '../../src/ports.ts';
import { RunnerKilled } from '../../src/ports.ts';
import type { Golden, RunOutcome } from '../../src/conformance/golden.ts';
import type { Tree } from '../../src/conformance/normalize.ts';
import type { TreeReader } from '../../src/conformance/snapshot.ts';
import { snapshotTree } from '../../src/conformance/snapshot.ts';
import type { RunStep, Scenario } from '../../src/conformance/scenario.ts';
import { isRunStep } from '../../src/conformance/scenario.ts';
import type { Placeholders } from '../../src/conformance/tree.ts';
import { creationOrder, materialise, substitute } from '../../src/conformance/tree.ts';
import type { FakeClock } from './fake-clock.ts';
import { createFakeClock } from './fake-clock.ts';
import { createFakeHost, FAKE_HOST } from './fake-host.ts';
import { createFakeTranscoder } from './fake-transcoder.ts';
import { createMortalFs } from './mortal-fs.ts';
import type { DurabilityShadow } from './durability.ts';
import { createDurabilityShadow, trackDurability } from './durability.ts';
import { describeVolume } from './state-key.ts';
import { faultOfStep, injectFsFault } from './fault-fs.ts';

export const MEMORY_ROOT = '/scenario';
export const FAKE_FFMPEG_PATH = '/usr/bin/ffmpeg';

type Vol = InstanceType<typeof Volume>;

const placeholders: Placeholders = { root: MEMORY_ROOT, livePid: FAKE_HOST.livePid, host: FAKE_HOST.hostname };

function writeEntries(vol: Vol, entries: Record<string, unknown>, clock: FakeClock): void {
  const seconds = clock.now() / 1000;
  for (const relative of creationOrder(entries)) {
    const path = join(MEMORY_ROOT, relative);
    const made = materialise(entries[relative], placeholders);
    vol.mkdirSync(made.kind === 'directory' ? path : dirname(path), { recursive: true });
    if (made.kind === 'file') vol.writeFileSync(path, made.bytes);
    if (made.kind === 'symlink') vol.symlinkSync(made.target, path);
    if (made.kind === 'hardlink') vol.linkSync(join(MEMORY_ROOT, made.to), path);
    if (made.kind !== 'symlink') vol.utimesSync(path, seconds, seconds);
  }
}

/** The normalised tree under the root: files, symlinks and empty directories, in code-unit order. */
/** The four read operations of a snapshot, over a memfs volume. */
function volumeReader(vol: Vol): TreeReader {
  return {
    list: (dir) => vol.readdirSync(dir) as string[],
    kind(path) {
      const stat = vol.lstatSync(path);
      if (stat.isDirectory()) return 'directory';
      if (stat.isSymbolicLink()) return 'symlink';
      return stat.isFile() ? 'file' : 'other';
    },
    readlink: (path) => String(vol.readlinkSync(path)),
    read: (path) => new Uint8Array(vol.readFileSync(path) as Buffer),
  };
}

/** The normalised tree under the root: files, symlinks and empty directories, in code-unit order. */
export function snapshotVolume(vol: Vol, root = MEMORY_ROOT, keepStamps = false): Tree {
  return snapshotTree(volumeReader(vol), root, keepStamps);
}

const quietLog: Log = { info: () => undefined, error: () => undefined };

export interface MemoryRunOptions {
  /** Wraps the runner's filesystem (fault injection); the identity by default. */
  readonly wrapFs?: (fs: Fs) => Fs;
  readonly log?: Log;
  /** Keep `_<UTC stamp>` suffixes in snapshots, so two stamped copies of one JobSpec stay two paths. */
  readonly exactNames?: boolean;
  /** Track what is durable even when no step cuts the power (so state keys tell durable states apart). */
  readonly trackDurability?: boolean;
  /** Told after every run step what the harness saw of it (fault exploration uses this). */
  readonly onRun?: (report: RunReport) => void;
}

export interface RunReport {
  /** The position of the run among the scenario's run steps, from 0. */
  readonly run: number;
  /** Filesystem operations the runner attempted (a faulted one included). */
  readonly fsOps: number;
  /** Whether the run got as far as the operation its fault step names. */
  readonly faultReached: boolean;
  /** The first operation a `fail_fs_op` made fail, or null. */
  readonly firstFailure: number | null;
  /**
   * A canonical text of the whole volume and, when durability is tracked, of what is durable. It reads the
   * volume when called: call it from onRun, before later steps change it.
   */
  stateKey(): string;
}

interface ScenarioDisk {
  readonly vol: Vol;
  readonly clock: FakeClock;
  /** Present when the scenario cuts the power somewhere (or durability is asked for): fsyncs tracked from the start. */
  readonly shadow: DurabilityShadow | null;
}

async function runStep(disk: ScenarioDisk, step: RunStep, ffmpegInstalled: boolean, options: MemoryRunOptions): Promise<RunOutcome & { report: Omit<RunReport, 'run'> }> {
  const { vol, clock, shadow } = disk;
  const raw = createMemFs(vol);
  const mortal = createMortalFs((options.wrapFs ?? ((fs) => fs))(shadow === null ? raw : trackDurability(raw, shadow)));
  // Faults count only the runner's own operations: the fake FFmpeg uses `raw`.
  const injection = injectFsFault(mortal.fs, faultOfStep(step, MEMORY_ROOT), mortal.kill);
  const stopper = new AbortController();
  if (step.stop_after_seconds !== undefined) clock.abortAt(clock.now() + step.stop_after_seconds * 1000, stopper);
  const deps = {
    fs: injection.fs,
    clock,
    transcoder: createFakeTranscoder({ fs: raw, clock, ffmpegPath: ffmpegInstalled ? FAKE_FFMPEG_PATH : null, killRunner: mortal.kill }),
    host: createFakeHost(),
    log: options.log ?? quietLog,
    cwd: MEMORY_ROOT,
  };
  const argv = [step.folder ?? '{ROOT}/watch', ...step.run].map((arg) => substitute(arg, placeholders));
  let exit: RunOutcome['exit'];
  try {
    exit = await runApp(argv, deps, stopper.signal);
  } catch (error) {
    if (!(error instanceof RunnerKilled)) throw error;
    exit = 'killed';
  }
  clock.cancelAbort();
  if (step.power_cut_at_fs_op !== undefined && injection.reached()) shadow?.powerCut();
  const report = {
    fsOps: injection.opCount(),
    faultReached: injection.reached(),
    firstFailure: injection.firstFailure(),
    stateKey: () => `${describeVolume(vol)}\n--- durable\n${shadow?.describe() ?? ''}`,
  };
  return { exit, tree: snapshotVolume(vol, MEMORY_ROOT, options.exactNames ?? false), report };
}

export async function runScenarioInMemory(scenario: Scenario, options: MemoryRunOptions = {}): Promise<Golden> {
  const vol = new Volume();
  vol.mkdirSync(MEMORY_ROOT, { recursive: true });
  const clock = createFakeClock();
  writeEntries(vol, scenario.tree, clock);
  const cutsPower = options.trackDurability === true || scenario.steps.some((step) => isRunStep(step) && step.power_cut_at_fs_op !== undefined);
  const disk: ScenarioDisk = { vol, clock, shadow: cutsPower ? createDurabilityShadow(vol) : null };
  disk.shadow?.syncEverything();
  const runs: RunOutcome[] = [];
  for (const step of scenario.steps) {
    if (isRunStep(step)) {
      const { report, ...outcome } = await runStep(disk, step, scenario.ffmpeg_installed ?? true, options);
      options.onRun?.({ run: runs.length, ...report });
      runs.push(outcome);
    } else if ('advance_clock_seconds' in step) clock.advance(step.advance_clock_seconds * 1000);
    else {
      writeEntries(vol, step.write, clock);
      // What a user drops is on disk: durable, without making anything else durable.
      disk.shadow?.adopt(Object.keys(step.write).map((relative) => join(MEMORY_ROOT, relative)));
    }
  }
  return { runs };
}

// The in-memory backend of the scenario interpreter (src/conformance/interpreter.ts), and
// runScenarioInMemory: the tree lives in memfs, every `run` step calls the runner exactly as src/cli.ts
// does (runApp) with the fake clock, host and transcoder, and what golden files hold comes out. A run
// step's fault (a crash, a power cut or an errno at the k-th fs operation) is injected by fault-fs.ts; a
// power cut then rebuilds the volume from the durability shadow (durability.ts), which is kept whenever a
// step cuts the power.

import { join } from 'node:path';
import { Volume } from 'memfs';
import { runApp } from '../../src/app.ts';
import type { Console, Fs, Host, HookRunner } from '../../src/ports.ts';
import { createFakeHooks, quietConsole } from './fake-hooks.ts';
import { RunnerKilled } from '../../src/ports.ts';
import type { Golden, RunExit } from '../../src/conformance/golden.ts';
import type { MeanwhileAction } from '../../src/conformance/media.ts';
import { APPENDED_LINE } from '../../src/conformance/media.ts';
import type { Tree } from '../../src/conformance/normalize.ts';
import type { Invocation, ScenarioBackend } from '../../src/conformance/interpreter.ts';
import { interpretScenario } from '../../src/conformance/interpreter.ts';
import type { TreeReader } from '../../src/conformance/snapshot.ts';
import type { SnapshotOptions } from '../../src/conformance/snapshot.ts';
import { snapshotTree } from '../../src/conformance/snapshot.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import { isRunStep } from '../../src/conformance/steps.ts';
import { createEntries } from '../../src/conformance/tree.ts';
import { createMemFs } from './mem-fs.ts';
import type { FakeClock } from './fake-clock.ts';
import { createFakeClock } from './fake-clock.ts';
import { createFakeHost, FAKE_HOST } from './fake-host.ts';
import { createFakeTranscoder } from './fake-transcoder.ts';
import { createMortalFs } from './mortal-fs.ts';
import type { DurabilityShadow } from './durability.ts';
import { createDurabilityShadow, trackDurability } from './durability.ts';
import { describeVolume } from './state-key.ts';
import { faultOfStep, injectFsFault } from './fault-fs.ts';
import { withVolumeRules } from './volume-fs.ts';

export const MEMORY_ROOT = '/scenario';
export const FAKE_FFMPEG_PATH = '/usr/bin/ffmpeg';

type Vol = InstanceType<typeof Volume>;

/** The four read operations of a snapshot, over a memfs volume. */
export function volumeReader(vol: Vol): TreeReader {
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
export function snapshotVolume(vol: Vol, root = MEMORY_ROOT, options: SnapshotOptions = {}): Tree {
  return snapshotTree(volumeReader(vol), root, options);
}

/** A media descriptor's `meanwhile` action, done on the volume directly: another process, not the runner. */
function actOn(vol: Vol, clock: FakeClock, action: MeanwhileAction): void {
  const at = (relative: string): string => join(MEMORY_ROOT, relative);
  if ('move' in action) vol.renameSync(at(action.move[0]), at(action.move[1]));
  else if ('remove' in action) vol.rmSync(at(action.remove), { recursive: true, force: true });
  else if ('append' in action) vol.appendFileSync(at(action.append), APPENDED_LINE);
  else vol.utimesSync(at(action.touch), clock.now() / 1000, clock.now() / 1000);
}


export interface MemoryRunOptions {
  /** Wraps the runner's filesystem (fault injection); the identity by default. Called once per run step. */
  readonly wrapFs?: (fs: Fs) => Fs;
  /** Where the runner's console lines go; dropped by default. */
  readonly console?: Console;
  /** The `--on-filed` runner; one that records calls and answers exit 0 by default. */
  readonly hooks?: HookRunner;
  /** The host the runner sees, made from the scenario's clock; createFakeHost() by default. */
  readonly host?: (clock: FakeClock) => Host;
  /** Keep `_<UTC stamp>` suffixes in snapshots, so two stamped copies of one JobSpec stay two paths. */
  readonly exactNames?: boolean;
  /** Show the runner's private lock files in snapshots (goldens leave them out). */
  readonly privateFiles?: boolean;
  /** Track what is durable even when no step cuts the power (so state keys tell durable states apart). */
  readonly trackDurability?: boolean;
  /**
   * The runners of a concurrently step start in the order given, rotated by this much (default 0): the
   * golden test runs such scenarios at every rotation, so a golden cannot hang on who started first.
   */
  readonly concurrentRotation?: number;
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

export type MemoryBackend = ScenarioBackend<RunExit> & { readonly vol: Vol };

/** What one runner of a run works through: its filesystem (wrapped), the bare one FFmpeg writes to, its death, its host. */
interface RunnerPorts {
  readonly fs: Fs;
  readonly raw: Fs;
  readonly kill: (why: string) => never;
  readonly host: Host;
}

/** A backend on a fresh memfs volume, its clock at the fake epoch. */
export function createMemoryBackend(scenario: Scenario, options: MemoryRunOptions = {}): MemoryBackend {
  const vol = new Volume();
  vol.mkdirSync(MEMORY_ROOT, { recursive: true });
  const clock = createFakeClock();
  const ffmpegPath = (scenario.ffmpeg_installed ?? true) ? FAKE_FFMPEG_PATH : null;
  const cutsPower = options.trackDurability === true || scenario.steps.some((step) => isRunStep(step) && step.power_cut_at_fs_op !== undefined);
  /** Present when the scenario cuts the power somewhere (or durability is asked for): fsyncs tracked from the start. */
  let shadow: DurabilityShadow | null = null;
  let runs = 0;
  // A memfs volume has the same five entry-making calls as node:fs.
  const create: MemoryBackend['write'] = (entries) => createEntries(vol, MEMORY_ROOT, entries, clock.now() / 1000);

  /** One runner's filesystems: the bare one (the fake FFmpeg's) and the runner's own, wrapped, durability tracked, mortal. */
  function runnerFs(): { raw: Fs; mortal: ReturnType<typeof createMortalFs> } {
    const raw = withVolumeRules(createMemFs(vol), MEMORY_ROOT, scenario.volumes);
    return { raw, mortal: createMortalFs((options.wrapFs ?? ((fs) => fs))(shadow === null ? raw : trackDurability(raw, shadow))) };
  }

  /** One runner's run, as src/cli.ts makes it: runApp with these ports; a runner that dies is "killed". */
  async function runRunner({ folder, args }: Invocation, ports: RunnerPorts, stop: AbortSignal): Promise<RunExit> {
    const deps = {
      fs: ports.fs,
      clock,
      transcoder: createFakeTranscoder({ fs: ports.raw, clock, ffmpegPath, killRunner: ports.kill, act: (action) => actOn(vol, clock, action) }),
      host: ports.host,
      hooks: options.hooks ?? createFakeHooks(),
      console: options.console ?? quietConsole,
      cwd: MEMORY_ROOT,
    };
    try {
      return await runApp([folder, ...args], deps, stop);
    } catch (error) {
      if (!(error instanceof RunnerKilled)) throw error;
      return 'killed';
    }
  }

  return {
    placeholders: { root: MEMORY_ROOT, livePid: FAKE_HOST.livePid, host: FAKE_HOST.hostname },
    vol,
    setUp(entries) {
      create(entries);
      // Everything in the input tree is durable.
      if (cutsPower) shadow = createDurabilityShadow(vol);
      shadow?.syncEverything();
    },
    write(entries) {
      create(entries);
      // What a user drops is on disk: durable, without making anything else durable.
      shadow?.adopt(entries.map(({ path }) => join(MEMORY_ROOT, path)));
    },
    advanceClock: (seconds) => clock.advance(seconds * 1000),
    async run(step, invocation) {
      const { raw, mortal } = runnerFs();
      // Faults count only the runner's own operations: the fake FFmpeg uses `raw`.
      const injection = injectFsFault(mortal.fs, faultOfStep(step, MEMORY_ROOT), mortal.kill);
      const stopper = new AbortController();
      if (step.stop_after_seconds !== undefined) clock.abortAt(clock.now() + step.stop_after_seconds * 1000, stopper);
      const exit = await runRunner(invocation, { raw, fs: injection.fs, kill: mortal.kill, host: options.host?.(clock) ?? createFakeHost() }, stopper.signal);
      clock.cancelAbort();
      if (step.power_cut_at_fs_op !== undefined && injection.reached()) shadow?.powerCut();
      const tracked = shadow;
      options.onRun?.({
        run: runs++,
        fsOps: injection.opCount(),
        faultReached: injection.reached(),
        firstFailure: injection.firstFailure(),
        stateKey: () => `${describeVolume(vol)}\n--- durable\n${tracked?.describe() ?? ''}`,
      });
      return exit;
    },
    async runTogether(_runs, invocations) {
      // More processes of the one fake host, each alive to the others until it ends; no faults (the step
      // has none), so onRun, which reports a fault's reach, is not told.
      runs += 1;
      const alive = new Set<number>();
      const order = invocations.map((_, i) => (i + (options.concurrentRotation ?? 0)) % invocations.length);
      const exits: RunExit[] = [];
      await Promise.all(
        order.map(async (i) => {
          const pid = FAKE_HOST.pid + i;
          alive.add(pid);
          const { raw, mortal } = runnerFs();
          exits[i] = await runRunner(invocations[i] as Invocation, { raw, fs: mortal.fs, kill: mortal.kill, host: createFakeHost(pid, alive) }, new AbortController().signal);
          alive.delete(pid);
        }),
      );
      return exits;
    },
    snapshot: () =>
      snapshotVolume(vol, MEMORY_ROOT, { keepStamps: options.exactNames === true, keepPrivate: options.privateFiles === true, host: FAKE_HOST.hostname }),
  };
}

export async function runScenarioInMemory(scenario: Scenario, options: MemoryRunOptions = {}): Promise<Golden> {
  return { runs: await interpretScenario(scenario, createMemoryBackend(scenario, options)) };
}

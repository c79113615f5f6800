// Runs a scenario in memory: the tree is materialised in memfs, every `run` step calls the runner
// exactly as src/cli.ts does (runApp) with the fake clock, host and transcoder, and the normalised
// tree after each run is recorded. The result is what golden files hold.

import { dirname, join } from 'node:path';
import { Volume } from 'memfs';
import { runApp } from '../app.ts';
import { createMemFs } from '../adapters/mem-fs.ts';
import type { Fs, Log } from '../ports.ts';
import { RunnerKilled } from '../ports.ts';
import type { Golden, RunOutcome } from '../conformance/golden.ts';
import type { Tree } from '../conformance/normalize.ts';
import { isPrivateRunnerFile, normaliseFile, normaliseString } from '../conformance/normalize.ts';
import type { RunStep, Scenario } from '../conformance/scenario.ts';
import { isRunStep } from '../conformance/scenario.ts';
import type { Placeholders } from '../conformance/tree.ts';
import { creationOrder, materialise, substitute } from '../conformance/tree.ts';
import type { FakeClock } from './fake-clock.ts';
import { createFakeClock } from './fake-clock.ts';
import { createFakeHost, FAKE_HOST } from './fake-host.ts';
import { createFakeTranscoder } from './fake-transcoder.ts';
import { createMortalFs } from './mortal-fs.ts';
import { crashAtFsOp } from './crash-at-op-fs.ts';

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
export function snapshotVolume(vol: Vol, root = MEMORY_ROOT): Tree {
  const tree: Tree = {};
  const walk = (dir: string, relative: string): void => {
    const names = (vol.readdirSync(dir) as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (names.length === 0 && relative !== '') tree[normaliseString(relative, { root })] = { $dir: true };
    for (const name of names) {
      const path = join(dir, name);
      const rel = relative === '' ? name : `${relative}/${name}`;
      const key = normaliseString(rel, { root });
      const stat = vol.lstatSync(path);
      if (stat.isDirectory()) walk(path, rel);
      else if (stat.isSymbolicLink()) tree[key] = { $symlink: normaliseString(String(vol.readlinkSync(path)), { root }) };
      else if (!isPrivateRunnerFile(rel)) tree[key] = normaliseFile(rel, new Uint8Array(vol.readFileSync(path) as Buffer), { root });
    }
  };
  walk(root, '');
  return tree;
}

const quietLog: Log = { info: () => undefined, error: () => undefined };

export interface MemoryRunOptions {
  /** Wraps the runner's filesystem (fault injection); the identity by default. */
  readonly wrapFs?: (fs: Fs) => Fs;
  readonly log?: Log;
}

async function runStep(vol: Vol, clock: FakeClock, step: RunStep, ffmpegInstalled: boolean, options: MemoryRunOptions): Promise<RunOutcome> {
  const raw = createMemFs(vol);
  const mortal = createMortalFs((options.wrapFs ?? ((fs) => fs))(raw));
  // crash_at_fs_op counts only the runner's own operations: the fake FFmpeg uses `raw`.
  const runnerFs = step.crash_at_fs_op === undefined ? mortal.fs : crashAtFsOp(mortal.fs, step.crash_at_fs_op, mortal.kill);
  const stopper = new AbortController();
  if (step.stop_after_seconds !== undefined) clock.abortAt(clock.now() + step.stop_after_seconds * 1000, stopper);
  const deps = {
    fs: runnerFs,
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
  return { exit, tree: snapshotVolume(vol) };
}

export async function runScenarioInMemory(scenario: Scenario, options: MemoryRunOptions = {}): Promise<Golden> {
  const vol = new Volume();
  vol.mkdirSync(MEMORY_ROOT, { recursive: true });
  const clock = createFakeClock();
  writeEntries(vol, scenario.tree, clock);
  const runs: RunOutcome[] = [];
  for (const step of scenario.steps) {
    if (isRunStep(step)) runs.push(await runStep(vol, clock, step, scenario.ffmpeg_installed ?? true, options));
    else if ('advance_clock_seconds' in step) clock.advance(step.advance_clock_seconds * 1000);
    else writeEntries(vol, step.write, clock);
  }
  return { runs };
}

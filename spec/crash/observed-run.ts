// Runs a scenario with runScenarioInMemory and records the exact tree (raw names and bytes, not the
// normalised golden snapshot) before and after every step that can change it. The golden snapshot is
// not enough for the invariants: normalisation maps `job_<stamp1>.json` and `job_<stamp2>.json` to the
// same key, so a JobSpec filed twice under two collision stamps would look like one.
//
// How: a "probe" step is inserted at the start and after every `write` and `run` step. A probe is a
// `--once` run on a folder that does not exist: the runner's first (and only) operation is a stat that
// fails, it exits 2 and changes nothing, and the probe's wrapped Fs reads the whole tree just before that
// stat. Probes are not part of the scenario a failure prints: without them the runs do exactly the same.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { RunOutcome } from '../../src/conformance/golden.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import type { Step } from '../../src/conformance/steps.ts';
import { isRunStep } from '../../src/conformance/steps.ts';
import { MEMORY_ROOT, runScenarioInMemory } from '../harness/memory-run.ts';
import type { MemoryRunOptions } from '../harness/memory-run.ts';
import type { Fs } from '../../src/ports.ts';

export interface RawFile {
  readonly kind: 'file';
  readonly size: number;
  readonly sha256: string;
  /** The UTF-8 text for files up to 1 MiB + 1 byte that decode, else null. */
  readonly text: string | null;
}
export type RawEntry = RawFile | { readonly kind: 'directory' | 'symlink' | 'other' };
/** Path relative to the scenario root (`watch/pending/a.json`) → entry. */
export type RawTree = ReadonlyMap<string, RawEntry>;

export interface StepObservation {
  /** Index of the step in the scenario (without probes). */
  readonly index: number;
  readonly step: Step;
  readonly before: RawTree;
  readonly after: RawTree;
  /**
   * When the scenario cuts the power somewhere: the files of `before` whose name and data were durable
   * (fsynced) then, per the harness's durability shadow; null otherwise.
   */
  readonly durableBefore: ReadonlySet<string> | null;
  /** For a run step: its outcome. */
  readonly exit?: RunOutcome['exit'];
}

export interface Observation {
  readonly initial: RawTree;
  readonly steps: readonly StepObservation[];
}

const TEXT_LIMIT = 1024 * 1024 + 1;
export const PROBE_FOLDER = '{ROOT}/.probe-no-such-folder';
const PROBE: Step = { run: ['--once'], folder: PROBE_FOLDER };

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function readRawTree(fs: Fs, root: string = MEMORY_ROOT): Promise<RawTree> {
  const tree = new Map<string, RawEntry>();
  const walk = async (dir: string, relative: string): Promise<void> => {
    for (const name of (await fs.readdir(dir)).sort()) {
      const path = join(dir, name);
      const rel = relative === '' ? name : `${relative}/${name}`;
      const stat = await fs.lstat(path);
      if (stat.kind === 'directory') {
        tree.set(rel, { kind: 'directory' });
        await walk(path, rel);
      } else if (stat.kind === 'file') {
        const bytes = await fs.readFile(path);
        let text: string | null = null;
        if (bytes.length <= TEXT_LIMIT) {
          try {
            text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
          } catch {
            text = null;
          }
        }
        tree.set(rel, { kind: 'file', size: bytes.length, sha256: sha256(bytes), text });
      } else {
        tree.set(rel, { kind: stat.kind });
      }
    }
  };
  await walk(root, '');
  return tree;
}

/**
 * The files (relative paths) whose entry and data are durable, from the durable part of a run report's
 * state key: one line per durable entry, `<absolute path> <kind> #<id> <digest>`, the digest `-` for a
 * file whose data was never fsynced.
 */
function durableFiles(stateKey: string): ReadonlySet<string> {
  const marker = '\n--- durable\n';
  const durable = stateKey.slice(stateKey.indexOf(marker) + marker.length);
  const files = new Set<string>();
  for (const line of durable.split('\n')) {
    const parts = line.split(' ');
    const [kind, , digest] = parts.slice(-3);
    const path = parts.slice(0, -3).join(' ');
    if (kind === 'file' && digest !== '-' && path.startsWith(`${MEMORY_ROOT}/`)) files.add(path.slice(MEMORY_ROOT.length + 1));
  }
  return files;
}

/** `inner`, reading the whole tree into `sink` before its first operation. */
function snapshotOnFirstOp(inner: Fs, sink: (tree: RawTree) => void): Fs {
  let taken: Promise<void> | null = null;
  const first = async (): Promise<void> => {
    taken ??= readRawTree(inner).then(sink);
    await taken;
  };
  return {
    readdir: async (p) => (await first(), inner.readdir(p)),
    lstat: async (p) => (await first(), inner.lstat(p)),
    stat: async (p) => (await first(), inner.stat(p)),
    openNoFollow: async (p) => (await first(), inner.openNoFollow(p)),
    readFile: async (p) => (await first(), inner.readFile(p)),
    writeFileExclusive: async (p, d) => (await first(), inner.writeFileExclusive(p, d)),
    rename: async (a, b) => (await first(), inner.rename(a, b)),
    link: async (a, b) => (await first(), inner.link(a, b)),
    unlink: async (p) => (await first(), inner.unlink(p)),
    rmdir: async (p) => (await first(), inner.rmdir(p)),
    mkdir: async (p) => (await first(), inner.mkdir(p)),
    fsyncFile: async (p) => (await first(), inner.fsyncFile(p)),
    fsyncDir: async (p) => (await first(), inner.fsyncDir(p)),
  };
}

/**
 * Runs `scenario` in memory with probes; `options.wrapFs` (fault injection) applies to the scenario's
 * own runs only.
 */
export async function runObserved(scenario: Scenario, options: MemoryRunOptions = {}): Promise<Observation> {
  const steps: Step[] = [PROBE];
  /** For each run of the probed scenario (in order): null for a probe, else the original step index. */
  const runOwners: Array<number | null> = [null];
  scenario.steps.forEach((step, index) => {
    steps.push(step);
    if (isRunStep(step)) runOwners.push(index);
    if (isRunStep(step) || 'write' in step) {
      steps.push(PROBE);
      runOwners.push(null);
    }
  });
  const snapshots: RawTree[] = [];
  const durables: Array<ReadonlySet<string> | null> = [];
  const cutsPower = scenario.steps.some((step) => isRunStep(step) && step.power_cut_at_fs_op !== undefined);
  let runIndex = 0;
  const golden = await runScenarioInMemory(
    { ...scenario, steps },
    {
      ...options,
      onRun: (report) => {
        if (runOwners[report.run] === null) durables.push(cutsPower ? durableFiles(report.stateKey()) : null);
        options.onRun?.(report);
      },
      wrapFs: (fs) => {
        const owner = runOwners[runIndex];
        runIndex += 1;
        if (owner === null) return snapshotOnFirstOp(fs, (tree) => void snapshots.push(tree));
        return options.wrapFs === undefined ? fs : options.wrapFs(fs);
      },
    },
  );
  if (snapshots.length !== runOwners.filter((o) => o === null).length) {
    throw new Error(`expected a snapshot from every probe, got ${snapshots.length}: did a probe run not reach the filesystem?`);
  }
  const exits = new Map<number, RunOutcome['exit']>();
  golden.runs.forEach((run, i) => {
    const owner = runOwners[i];
    if (owner === null && run.exit !== 2) throw new Error(`a probe run exited ${run.exit}, not 2`);
    if (owner !== null && owner !== undefined) exits.set(owner, run.exit);
  });

  const initial = snapshots[0] ?? new Map<string, RawEntry>();
  let current = initial;
  let probe = 1;
  const observed: StepObservation[] = [];
  scenario.steps.forEach((step, index) => {
    if (!isRunStep(step) && !('write' in step)) return;
    const after = snapshots[probe] ?? new Map<string, RawEntry>();
    const durableBefore = durables[probe - 1] ?? null;
    probe += 1;
    const exit = exits.get(index);
    const base = { index, step, before: current, after, durableBefore };
    observed.push(exit === undefined ? base : { ...base, exit });
    current = after;
  });
  return { initial, steps: observed };
}

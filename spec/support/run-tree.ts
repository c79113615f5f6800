// Runs an input tree through the in-memory scenario harness (runApp on memfs, the fake clock, host and
// FFmpeg) for the unit tests that need more than a golden shows: the console lines, the disk itself
// (snapshots leave the lock out) and a hook around the runner's filesystem.

import type { Tree } from '../../src/conformance/normalize.ts';
import type { RunOutcome } from '../../src/conformance/golden.ts';
import type { Step } from '../../src/conformance/steps.ts';
import type { Fs, HookRunner, Host } from '../../src/ports.ts';
import type { FakeClock } from '../harness/fake-clock.ts';
import { MEMORY_ROOT, runScenarioInMemory } from '../harness/memory-run.ts';
import { messageOf } from './silent-log.ts';

export interface TreeRunOptions {
  /** Default: one `--once` run. */
  readonly steps?: readonly Step[];
  readonly host?: (clock: FakeClock) => Host;
  /** Wraps the runner's filesystem (paths are absolute: see scenarioPath). */
  readonly wrapFs?: (fs: Fs) => Fs;
  /** The `--on-filed` runner (default: one that answers exit 0). */
  readonly hooks?: HookRunner;
}

export interface TreeRun {
  /** One entry per run step. */
  readonly runs: readonly RunOutcome[];
  /** The exit code and the normalised tree of the last run. */
  readonly exit: RunOutcome['exit'];
  readonly tree: Tree;
  /** Every console line of every run, stdout and stderr interleaved, without its time and level. */
  readonly lines: readonly string[];
  /** The same lines as printed, and which stream each went to. */
  readonly printed: readonly { readonly stream: 'out' | 'err'; readonly line: string }[];
  /** Whether anything is at `relative` (to the scenario root) now, lock files included. */
  exists(relative: string): Promise<boolean>;
}

/** The absolute path of a tree path inside the scenario root. */
export function scenarioPath(relative: string): string {
  return `${MEMORY_ROOT}/${relative}`;
}

export async function runTree(tree: Record<string, unknown>, options: TreeRunOptions = {}): Promise<TreeRun> {
  const lines: string[] = [];
  const printed: { stream: 'out' | 'err'; line: string }[] = [];
  const keep = (stream: 'out' | 'err') => (line: string): void => {
    printed.push({ stream, line });
    lines.push(messageOf(line));
  };
  const disk: { fs: Fs | null } = { fs: null };
  const golden = await runScenarioInMemory(
    { description: 'unit test run', requirements: ['R1.1'], tags: [], tree, steps: [...(options.steps ?? [{ run: ['--once'] }])] },
    {
      ...(options.host === undefined ? {} : { host: options.host }),
      // What a person reads: each line without its time and level (log.ts; spec/unit/log.test.ts pins those).
      console: { out: keep('out'), err: keep('err') },
      ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
      wrapFs: (fs) => {
        disk.fs = fs;
        return options.wrapFs === undefined ? fs : options.wrapFs(fs);
      },
    },
  );
  const last = golden.runs.at(-1);
  if (last === undefined) throw new Error('the steps hold no run');
  return {
    runs: golden.runs,
    exit: last.exit,
    tree: last.tree,
    lines,
    printed,
    exists: async (relative) => {
      if (disk.fs === null) throw new Error('the runner never touched the disk');
      return disk.fs.lstat(scenarioPath(relative)).then(
        () => true,
        () => false,
      );
    },
  };
}

/** The fields of a result file the unit tests read. */
export interface FiledResult {
  readonly job_id: string;
  readonly final_status: string;
  readonly clips: readonly { readonly source_path: string; readonly status: string; readonly exit_code: number | null }[];
  readonly _metadata: { readonly failure_reason?: string };
}

/** The result file at `relative` in the last run's tree (as normalised JSON); throws when there is none. */
export function resultAt(run: Pick<TreeRun, 'tree'>, relative: string): FiledResult {
  const entry = run.tree[relative];
  if (entry === undefined || entry === null || typeof entry !== 'object' || !('final_status' in entry)) {
    throw new Error(`no result file at ${relative}; the tree holds ${Object.keys(run.tree).join(', ')}`);
  }
  return entry as unknown as FiledResult;
}

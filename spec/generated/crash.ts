// Family `crash` (SPEC R4.14, R11.8, R11.9): a representative workload is run once
// with every filesystem operation of the runner recorded (the fake FFmpeg's own writes are not the
// runner's and are not counted); then, for each operation k, a scenario kills the runner just before
// operation k (`crash_at_fs_op`) and restarts it cleanly with --once. The crash points are therefore
// enumerated from the runner as it is, never hard-coded: a runner that does its work with other
// operations gets other scenarios, which shows up as missing and orphaned goldens.
// Every crash golden must satisfy the invariants checked by crash-invariants.ts.

import type { LoadedScenario } from '../../src/conformance/fixtures.ts';
import type { VolumeRules } from '../../src/conformance/scenario.ts';
import type { FsOp } from '../harness/crash-at-op-fs.ts';
import { recordFsOps } from '../harness/crash-at-op-fs.ts';
import { MEMORY_ROOT, runScenarioInMemory } from '../harness/memory-run.ts';
import type { Tag } from './base.ts';
import { baseJobSpec, defaultTree, generated, JOBSPEC_PATH, media, mediaPath, withFields } from './base.ts';

export interface Workload {
  readonly name: string;
  readonly what: string;
  readonly tree: Record<string, unknown>;
  readonly tags: readonly Tag[];
  /** Folders of the tree on volumes without hard links (or replacing renames): the scenario's `volumes`. */
  readonly volumes?: VolumeRules;
  /** Arguments of each run after `--once` (the crash exploration's own workloads: `--max-workers 2`). */
  readonly args?: readonly string[];
  /**
   * The host knows its boot and PID namespace (a Linux host), so a restarted shared runner can see that the
   * runner whose lease it finds, with its own pid, is its dead predecessor (R11.29). In memory only.
   */
  readonly linuxHost?: boolean;
}

export function threeClips(): Record<string, unknown> {
  const files = ['clip1.mov', 'clip2.mov', 'clip3.mov'];
  const tree = defaultTree(withFields(baseJobSpec(), { sources: files.map((f) => mediaPath(f)), naming_template: '{source_name}_{index}' }));
  delete tree['media/clip.mov'];
  for (const file of files) tree[`media/${file}`] = media();
  return tree;
}

/** The workloads of the family; the crash exploration and the errno matrix (spec/crash/) reuse them. */
export const WORKLOADS: readonly Workload[] = [
  { name: 'single-clip', what: 'a single-clip job that completes', tree: defaultTree(baseJobSpec()), tags: [] },
  { name: 'three-clips', what: 'a three-clip job that completes', tree: threeClips(), tags: ['multi-clip'] },
  {
    name: 'failing-clip',
    what: 'a job whose clip exits 1 and leaves a .partial',
    tree: { ...defaultTree(baseJobSpec()), 'media/clip.mov': media({ exit: 1, output_bytes: 512, stderr: 'Conversion failed!\n' }) },
    tags: [],
  },
  { name: 'invalid-jobspec', what: 'an invalid JobSpec (unknown field)', tree: defaultTree(withFields(baseJobSpec(), { priority: 1 })), tags: [] },
  {
    name: 'destination-collision',
    what: 'a job whose completed/ name is taken',
    tree: {
      ...defaultTree(baseJobSpec()),
      'watch/completed/job.json': withFields(baseJobSpec(), { job_id: 'old00001' }),
      'watch/completed/job.result.json': { job_id: 'old00001', final_status: 'COMPLETED', note: 'from an earlier run' },
    },
    tags: [],
  },
  {
    name: 'recovery',
    what: 'recovery of a JobSpec left in running/',
    tree: (() => {
      const tree = defaultTree(baseJobSpec());
      tree['watch/running/job.json'] = tree[JOBSPEC_PATH];
      delete tree[JOBSPEC_PATH];
      return tree;
    })(),
    tags: [],
  },
];

/** The runner's filesystem operations in one crash-free `--once` run of `tree`. */
async function operationsOf(tree: Record<string, unknown>): Promise<readonly FsOp[]> {
  let ops: readonly FsOp[] = [];
  await runScenarioInMemory(
    { description: 'crash point enumeration', requirements: ['R4.14'], tags: [], tree, steps: [{ run: ['--once'] }] },
    {
      wrapFs: (fs) => {
        const recorder = recordFsOps(fs);
        ops = recorder.ops;
        return recorder.fs;
      },
    },
  );
  return ops;
}

function describeOp(op: FsOp): string {
  return `${op.name} ${op.paths.map((p) => p.replace(`${MEMORY_ROOT}/`, '')).join(' -> ')}`;
}

export async function crashScenarios(): Promise<LoadedScenario[]> {
  const scenarios: LoadedScenario[] = [];
  for (const workload of WORKLOADS) {
    const ops = await operationsOf(workload.tree);
    ops.forEach((op, i) => {
      const k = i + 1;
      scenarios.push(
        generated({
          family: 'crash',
          name: `${workload.name}-op-${String(k).padStart(3, '0')}`,
          description: `${workload.what}: the runner dies before fs operation ${k} of ${ops.length} (${describeOp(op)}), then a clean --once restart`,
          // A crash in the middle of a job (R4.14, R11.8), or in the middle of recovery itself (R11.9).
          requirements: workload.name === 'recovery' ? ['R11.9', 'R11.2'] : ['R4.14', 'R11.8', 'R11.2'],
          tags: ['crash', 'recovery', ...workload.tags],
          tree: workload.tree,
          steps: [{ run: ['--once'], crash_at_fs_op: k }, { run: ['--once'] }],
        }),
      );
    });
  }
  return scenarios;
}

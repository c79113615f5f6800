// The workloads the crash exploration and the errno matrix put under faults: those of the generated crash
// family (spec/generated/crash.ts), plus two that hold more than one JobSpec, so that a fault while one
// job is handled can be seen to leave the other alone (reliability section 4: pending/ is never drained),
// outputs on volumes without hard links, a submission claimed half-way, two workers at once, and a runner
// started with --shared (its lease, its own folder in running/, and a restart that takes its folder over).

import { basename } from 'node:path';
import { baseJobSpec, defaultTree, JOBSPEC_PATH, withFields } from '../generated/base.ts';
import type { Workload } from '../generated/crash.ts';
import { threeClips, WORKLOADS } from '../generated/crash.ts';

export type { Workload };

function byName(name: string): Workload {
  const found = WORKLOADS.find((w) => w.name === name);
  if (found === undefined) throw new Error(`no crash workload named ${name}`);
  return found;
}

/** A valid single-clip job and, after it in scan order, an invalid one (unknown field). */
export const VALID_AND_INVALID: Workload = {
  name: 'valid-and-invalid',
  what: 'a valid single-clip job and an invalid one in pending/',
  tree: { ...defaultTree(baseJobSpec()), 'watch/pending/later.json': withFields(baseJobSpec(), { job_id: 'gen00002', priority: 1 }) },
  tags: [],
};

/** A JobSpec left in running/ by a dead runner, and a valid job waiting in pending/. */
export const RECOVERY_WITH_PENDING: Workload = {
  name: 'recovery-with-pending',
  what: 'recovery of a JobSpec left in running/, with a valid job in pending/',
  tree: (() => {
    const tree = defaultTree(baseJobSpec());
    tree['watch/running/interrupted.json'] = withFields(baseJobSpec(), { job_id: 'gen00003', naming_template: '{source_name}_earlier' });
    return tree;
  })(),
  tags: [],
};

/**
 * Outputs on a volume without hard links (exFAT, FAT32): every output is published by an exclusive
 * placeholder and a rename onto it, after a probe that tried link(2) first (issue 9.1).
 */
export const SINGLE_CLIP_NO_LINKS: Workload = {
  name: 'single-clip-no-links',
  what: 'a single-clip job whose output directory has no hard links',
  tree: defaultTree(baseJobSpec()),
  tags: [],
  volumes: { out: { hard_links: false } },
};

export const THREE_CLIPS_NO_LINKS: Workload = {
  name: 'three-clips-no-links',
  what: 'a three-clip job whose output directory has no hard links',
  tree: threeClips(),
  tags: ['multi-clip'],
  volumes: { out: { hard_links: false } },
};

/**
 * A submission claimed before its submitter dropped the staged name (SPEC R4.20): the JobSpec in pending/
 * has a second link, `.submitting/<name>`, which the runner drops after its claim.
 */
export const SUBMISSION_HALF_WAY: Workload = {
  name: 'submission-half-way',
  what: 'a single-clip job whose submission still has its staged name in .submitting/',
  tree: { ...defaultTree(baseJobSpec()), [`watch/.submitting/${basename(JOBSPEC_PATH)}`]: { $hardlink: JOBSPEC_PATH } },
  tags: [],
};

/**
 * Two jobs run at once by two workers (--max-workers 2), a third waiting for a free worker: a crash or a
 * power cut at any of their interleaved operations, with two jobs in running/ at once.
 */
export const TWO_WORKERS: Workload = {
  name: 'two-workers',
  what: 'three single-clip jobs run by two workers',
  tree: {
    ...defaultTree(baseJobSpec()),
    'watch/pending/later.json': withFields(baseJobSpec(), { job_id: 'gen00002', naming_template: '{source_name}_later' }),
    'watch/pending/last.json': withFields(baseJobSpec(), { job_id: 'gen00003', naming_template: '{source_name}_last' }),
  },
  tags: [],
  args: ['--max-workers', '2'],
};

/**
 * Two jobs run by a shared runner (--shared): its lease, its folder running/<id>/ and the claims into it,
 * the beat, and its leaving. A restart after a crash is a new runner with the same pid (a restarted
 * container), which must find the dead runner's lease, take its folder over and file what it held.
 */
export const SHARED_RUNNER: Workload = {
  name: 'shared-runner',
  what: 'two single-clip jobs run by one runner started with --shared',
  tree: {
    ...defaultTree(baseJobSpec()),
    'watch/pending/later.json': withFields(baseJobSpec(), { job_id: 'gen00002', naming_template: '{source_name}_later' }),
  },
  tags: [],
  args: ['--shared'],
  linuxHost: true,
};

/** The crash exploration's workloads (SHARED_RUNNER's has a file of its own: shared-exploration.test.ts) (reliability section 4: single-clip, multi-clip, failing, invalid, recovery). */
export const EXPLORED: readonly Workload[] = [
  byName('single-clip'),
  byName('three-clips'),
  byName('failing-clip'),
  byName('invalid-jobspec'),
  byName('destination-collision'),
  byName('recovery'),
  RECOVERY_WITH_PENDING,
  SINGLE_CLIP_NO_LINKS,
  THREE_CLIPS_NO_LINKS,
  SUBMISSION_HALF_WAY,
  TWO_WORKERS,
];

/** The errno matrix's workloads. */
export const ERRNO_WORKLOADS: readonly Workload[] = [VALID_AND_INVALID, byName('three-clips'), RECOVERY_WITH_PENDING, SINGLE_CLIP_NO_LINKS, TWO_WORKERS, SHARED_RUNNER];

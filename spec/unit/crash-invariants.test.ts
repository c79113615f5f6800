// The shared invariant checker (spec/generated/crash-invariants.ts) must be able to fail: fed trees that
// break each promise of reliability.md section 3, it names the break; fed a correct outcome, nothing.
// Also the errno matrix's own rules (spec/crash/errno-cases.ts): drained pending/, blamed JobSpecs, exits.

import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/conformance/golden.ts';
import type { Tree } from '../../src/conformance/normalize.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';
import { jsonFileText } from '../../src/conformance/tree.ts';
import { resultTempNameOf } from '../../src/runner/filing-names.ts';
import type { RunReport } from '../harness/memory-run.ts';
import type { Baseline } from '../crash/errno-cases.ts';
import { errnoRuleProblems } from '../crash/errno-cases.ts';
import type { Played } from '../crash/explore.ts';
import type { Workload } from '../crash/workloads.ts';
import { crashInvariantProblems, invariantProblems } from '../generated/crash-invariants.ts';

const JOB = { jobspec_version: '2.1', job_id: 'inv00001', sources: ['{ROOT}/media/clip.mov'], output_directory: '{ROOT}/out' };
const OTHER = { ...JOB, job_id: 'inv00002' };
const TEXT = jsonFileText(JOB);
const OTHER_TEXT = jsonFileText(OTHER);
const OLD = { job_id: 'old', final_status: 'COMPLETED', clips: [], _metadata: {} };

const scenario: Scenario = {
  description: 'invariant checker test',
  requirements: ['R1.1'],
  tags: ['crash'],
  tree: {
    'watch/pending/job.json': JOB,
    'watch/pending/other.json': OTHER,
    'watch/completed/old.json': 'settled before\n',
    'watch/completed/old.result.json': OLD,
    'media/clip.mov': 'media\n',
  },
  steps: [{ run: ['--once'] }],
};

function result(status: string, reason: string | null, clips: unknown[] = []): Record<string, unknown> {
  return { job_id: 'x', final_status: status, clips, _metadata: reason === null ? {} : { failure_reason: reason } } as Record<string, unknown>;
}

const OUTPUT = { $bytes: 1024, $sha256: 'x' };
const CLIP = { status: 'COMPLETED', resolved_output_path: '{ROOT}/out/clip_proxy.mp4', output_size_bytes: 1024 };

/** A correct final tree: job completed with its output, other failed as PARTIAL, nothing else touched. */
function good(): Tree {
  return {
    'media/clip.mov': 'media\n',
    'out/clip_proxy.mp4': OUTPUT,
    'watch/completed/old.json': 'settled before\n',
    'watch/completed/old.result.json': OLD,
    'watch/completed/job.json': TEXT,
    'watch/completed/job.result.json': result('COMPLETED', null, [CLIP]),
    'watch/failed/other.json': OTHER_TEXT,
    'watch/failed/other.result.json': result('PARTIAL', 'Unknown fields in JobSpec: [priority]'),
  } as Tree;
}

function runs(...outcomes: Array<[RunOutcome['exit'], Tree]>): RunOutcome[] {
  return outcomes.map(([exit, tree]) => ({ exit, tree }));
}

function edited(change: (tree: Record<string, unknown>) => void): Tree {
  const tree: Record<string, unknown> = good();
  change(tree);
  return tree as Tree;
}

const check = (outcomes: RunOutcome[]): string[] => invariantProblems(scenario, outcomes, { settledAtEnd: true });

describe('crash invariant checker', () => {
  it('accepts a correct outcome', () => {
    expect(check(runs([0, good()]))).toEqual([]);
    expect(crashInvariantProblems(scenario, { runs: runs(['killed', good()], [1, good()]) })).toEqual([]);
  });

  it.each<[string, Tree, RegExp]>([
    ['a lost JobSpec', edited((t) => delete t['watch/failed/other.json']), /lost: a JobSpec is nowhere/],
    ['a JobSpec filed twice', edited((t) => Object.assign(t, { 'watch/failed/other_2.json': OTHER_TEXT, 'watch/failed/other_2.result.json': result('PARTIAL', 'x') })), /duplicated/],
    ['a JobSpec both filed and pending', edited((t) => (t['watch/pending/other.json'] = OTHER_TEXT)), /duplicated/],
    ['a JobSpec altered', edited((t) => (t['watch/failed/other.json'] = `${OTHER_TEXT} `)), /lost|nobody submitted/],
    ['a JobSpec left in running/ after exit 0', edited((t) => { delete t['watch/failed/other.json']; delete t['watch/failed/other.result.json']; t['watch/running/other.json'] = OTHER_TEXT; }), /left in running/],
    ['a filed JobSpec without its result', edited((t) => delete t['watch/failed/other.result.json']), /no result beside it/],
    ['a result that does not parse', edited((t) => (t['watch/failed/other.result.json'] = '{"final_status": ')), /does not parse/],
    ['a result whose status does not fit its folder', edited((t) => (t['watch/failed/other.result.json'] = result('COMPLETED', null))), /does not fit failed/],
    ['a failure without a reason', edited((t) => (t['watch/failed/other.result.json'] = result('FAILED', ' '))), /without a failure_reason/],
    ['a result without its JobSpec', edited((t) => (t['watch/failed/ghost.result.json'] = result('FAILED', 'x'))), /result without its JobSpec/],
    ['a visible temp file', edited((t) => (t[`watch/completed/${resultTempNameOf('job')}`] = '')), /temp file visible/],
    ['a settled file changed', edited((t) => (t['watch/completed/old.json'] = 'changed\n')), /existed before, changed or removed: watch\/completed\/old.json/],
    ['a media file removed', edited((t) => delete t['media/clip.mov']), /existed before, changed or removed: media\/clip.mov/],
    ['a file written outside', edited((t) => (t['elsewhere/x'] = 'x')), /written outside/],
    ['a completed output missing', edited((t) => delete t['out/clip_proxy.mp4']), /output .* is missing/],
    ['a completed output truncated by a power cut', edited((t) => (t['out/clip_proxy.mp4'] = '')), /is 0 bytes, not 1024/],
  ])('names %s', (_what, tree, problem) => {
    expect(check(runs([0, tree])).join('\n')).toMatch(problem);
  });

  it('judges a killed run only on what a crash may not do', () => {
    const halfFiled = edited((t) => { delete t['watch/failed/other.result.json']; t['watch/running/other.json'] = OTHER_TEXT; t[`watch/failed/${resultTempNameOf('other')}`] = ''; });
    expect(check(runs(['killed', halfFiled], [0, good()]))).toEqual([]);
    expect(check(runs(['killed', edited((t) => delete t['watch/failed/other.json'])], [0, good()])).join('\n')).toMatch(/run 1: lost/);
  });

  it('lets a runner stopped on an error (exit 70) leave a committed job for the next start, but not lose it', () => {
    const committed = edited((t) => { delete t['watch/failed/other.result.json']; t['watch/running/other.json'] = OTHER_TEXT; t[`watch/failed/${resultTempNameOf('other')}`] = ''; });
    expect(check(runs([70, committed], [0, good()]))).toEqual([]);
    expect(check(runs([0, committed])).join('\n')).toMatch(/left in running|no result beside it|temp file visible/);
  });

  it('requires the last run to end and to file everything', () => {
    expect(check(runs([0, good()], ['killed', good()])).join('\n')).toMatch(/last run was killed/);
    const pending = edited((t) => { delete t['watch/failed/other.json']; delete t['watch/failed/other.result.json']; t['watch/pending/other.json'] = OTHER_TEXT; });
    expect(check(runs([0, pending])).join('\n')).toMatch(/not filed after the last run/);
    expect(invariantProblems(scenario, runs([0, pending]), { settledAtEnd: false })).toEqual([]);
    expect(crashInvariantProblems(scenario, { runs: runs([0, good()], [0, good()]) }).join('\n')).toMatch(/first run was not killed/);
  });
});

describe('errno matrix rules', () => {
  const workload: Workload = { name: 'two', what: 'two jobs', tree: scenario.tree, tags: [] };
  const baseline: Baseline = {
    ops: [
      { name: 'rename', paths: ['/scenario/watch/pending/job.json', '/scenario/watch/running/job.json'] },
      { name: 'writeFileExclusive', paths: [`/scenario/watch/completed/${resultTempNameOf('job')}`] },
      { name: 'rename', paths: ['/scenario/watch/pending/other.json', '/scenario/watch/running/other.json'] },
    ],
    completing: new Set([TEXT]),
  };
  const report = (firstFailure: number | null): RunReport => ({ run: 0, fsOps: 3, faultReached: true, firstFailure, stateKey: () => '' });
  const played = (first: [RunOutcome['exit'], Tree], firstFailure: number | null): Played => ({
    scenario: { ...scenario, steps: [{ run: ['--once'] }, { run: ['--once'] }] },
    golden: { runs: runs(first, [0, good()]) },
    reports: [report(firstFailure)],
    stateKeys: [],
    ops: [],
  });
  const drained = edited((t) => {
    t['watch/failed/job.json'] = TEXT;
    t['watch/failed/job.result.json'] = result('FAILED', 'No space left on device');
    delete t['watch/completed/job.json'];
    delete t['watch/completed/job.result.json'];
    delete t['out/clip_proxy.mp4'];
  });

  it('accepts a runner that stopped on a full disk', () => {
    const stopped = edited((t) => { for (const k of Object.keys(t)) if (/^watch\/(completed\/job|failed\/other)|^out/.test(k)) delete t[k]; t['watch/running/job.json'] = TEXT; t['watch/pending/other.json'] = OTHER_TEXT; });
    expect(errnoRuleProblems(workload, baseline, { at: 2, code: 'ENOSPC', persistence: 'full disk' }, played([70, stopped], 2))).toEqual([]);
  });

  it('names pending/ drained into failed/ after the first ENOSPC, and a good JobSpec blamed for it', () => {
    const problems = errnoRuleProblems(workload, baseline, { at: 1, code: 'ENOSPC', persistence: 'persistent' }, played([1, drained], 1)).join('\n');
    expect(problems).toMatch(/drained: a JobSpec not claimed before the first ENOSPC/);
    expect(problems).toMatch(/a good JobSpec was filed in failed\/ because of the runner's own ENOSPC/);
  });

  it('names a failing disk reported as a configuration error, and exits outside the contract', () => {
    expect(errnoRuleProblems(workload, baseline, { at: 1, code: 'EIO', persistence: 'once' }, played([2, scenarioTree()], 1)).join('\n')).toMatch(/configuration error/);
    expect(errnoRuleProblems(workload, baseline, { at: 1, code: 'EACCES', persistence: 'once' }, played([3, scenarioTree()], 1)).join('\n')).toMatch(/faulted run: exit 3/);
  });
});

/** The input tree as a snapshot would show it (nothing moved yet). */
function scenarioTree(): Tree {
  return {
    'media/clip.mov': 'media\n',
    'watch/completed/old.json': 'settled before\n',
    'watch/completed/old.result.json': OLD,
    'watch/pending/job.json': TEXT,
    'watch/pending/other.json': OTHER_TEXT,
  } as Tree;
}

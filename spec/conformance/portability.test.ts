// The lint that keeps the `portable` tag honest (src/conformance/portability.ts, run by scenarioProblems).

import { describe, expect, it } from 'vitest';
import { scenarioProblems } from '../../src/conformance/scenario.ts';

const JOB = { jobspec_version: '2.1', sources: ['{ROOT}/media/clip.mov'], output_directory: '{ROOT}/out' };

function scenario(tree: Record<string, unknown>, tags: string[] = ['portable'], steps: unknown[] = [{ run: ['--once'] }]): unknown {
  return { description: 'x', requirements: ['R4.1'], tags, tree, steps };
}

describe('portability lint', () => {
  it('rejects a portable JobSpec whose default job_id would hash {ROOT}', () => {
    expect(scenarioProblems(scenario({ 'watch/pending/job.json': JOB }))).toEqual([
      `tree entry watch/pending/job.json: a portable scenario's JobSpec that contains {ROOT} needs a string "job_id" (the default job_id hashes the bytes, root included)`,
    ]);
    expect(scenarioProblems(scenario({ 'watch/running/job.json': '{"sources": ["{ROOT}/a.mov"]' }))).toHaveLength(1);
    expect(scenarioProblems(scenario({}, ['portable'], [{ run: ['--once'] }, { write: { 'watch/pending/late.json': JOB } }, { run: ['--once'] }]))).toEqual([
      expect.stringMatching(/^step 1 writes watch\/pending\/late\.json: /),
    ]);
  });

  it('accepts an explicit job_id (object, $json or text), {ROOT}-free JobSpecs, other files, and untagged scenarios', () => {
    expect(scenarioProblems(scenario({ 'watch/pending/job.json': { ...JOB, job_id: 'job00001' } }))).toEqual([]);
    expect(scenarioProblems(scenario({ 'watch/pending/job.json': { $json: { ...JOB, job_id: 'job00001' } } }))).toEqual([]);
    expect(scenarioProblems(scenario({ 'watch/pending/job.json': `${JSON.stringify({ ...JOB, job_id: 'x' })}\n` }))).toEqual([]);
    expect(scenarioProblems(scenario({ 'watch/pending/job.json': { sources: ['media/clip.mov'] } }))).toEqual([]);
    expect(scenarioProblems(scenario({ 'watch/failed/job.result.json': { path: '{ROOT}/x' }, 'media/job.json': JOB }))).toEqual([]);
    expect(scenarioProblems(scenario({ 'watch/pending/job.json': JOB }, []))).toEqual([]);
  });

  it('rejects steps that only the in-memory harness can act out', () => {
    expect(scenarioProblems(scenario({}, ['portable'], [{ run: [], stop_after_seconds: 1 }]))).toEqual([
      'step 0: stop_after_seconds needs the in-memory clock, so the scenario cannot be portable',
    ]);
  });
});

describe('step rules of the scenario lint', () => {
  it('asks every run to end by itself: --once or a scheduled stop, and every runner of a concurrently step --once', () => {
    expect(scenarioProblems(scenario({}, [], [{ run: [] }]))).toEqual(['step 0: a continuous run needs stop_after_seconds']);
    expect(scenarioProblems(scenario({}, [], [{ run: [], stop_after_seconds: 2 }]))).toEqual([]);
    const together = (second: string[]): unknown[] => [{ concurrently: [{ run: ['--once', '--shared'] }, { run: second }] }];
    expect(scenarioProblems(scenario({}, ['portable'], together(['--once'])))).toEqual([]);
    expect(scenarioProblems(scenario({}, ['portable'], together(['--shared'])))).toEqual([
      'step 0: every runner of a concurrently step runs with --once (nothing would stop the others)',
    ]);
    // One runner is no concurrency, and a fault cannot be aimed at one runner of several.
    expect(scenarioProblems(scenario({}, [], [{ concurrently: [{ run: ['--once'] }] }]))).toContain('/steps/0/concurrently: must not have fewer than 2 items');
    expect(scenarioProblems(scenario({}, [], [{ concurrently: [{ run: ['--once'], crash_at_fs_op: 3 }, { run: ['--once'] }] }]))).not.toEqual([]);
  });
});

// Where the result goes when the JobSpec leaves running/ during its job (SPEC.md R4.18), in the cases the
// golden scenarios do not separate: a move into the job's own destination (its result temp is already
// beside it), a destination where the result name is taken, a file of the same name that is another file,
// and the same inode number on another device. Through runApp on memfs; the console says where and why.

import { describe, expect, it } from 'vitest';
import type { Fs } from '../../src/ports.ts';
import { fsError } from '../harness/mem-fs.ts';
import { baseJobSpec, withFields } from '../generated/base.ts';
import type { TreeRun } from '../support/run-tree.ts';
import { resultAt, runTree, scenarioPath } from '../support/run-tree.ts';

/** One job whose clip `exit`s after someone `move`s its JobSpec from running/ to `to` (or removes it). */
function tree(meanwhile: Record<string, unknown>, exit: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'watch/pending/job.json': withFields(baseJobSpec(), { job_id: 'moved001' }),
    'media/clip.mov': { $media: { exit, meanwhile: [meanwhile] } },
    out: { $dir: true },
    ...extra,
  };
}

const files = (run: TreeRun, folder: string): string[] =>
  Object.keys(run.tree)
    .filter((path) => path.startsWith(`watch/${folder}/`))
    .sort();

describe('a JobSpec moved or removed while its job runs', () => {
  it('moved into its own destination: the result is published from the temp already beside it', async () => {
    const run = await runTree(tree({ move: ['watch/running/job.json', 'watch/completed/job.json'] }, 0));

    expect(run.exit).toBe(0);
    expect(files(run, 'completed')).toEqual(['watch/completed/job.json', 'watch/completed/job.result.json']);
    expect(resultAt(run, 'watch/completed/job.result.json').final_status).toBe('COMPLETED');
    expect(run.lines).toContain('running/job.json was moved to completed/job.json while its job ran: its result is completed/job.result.json, beside it');
  });

  it('moved where its result name is taken: the result goes alone into the destination, and the console says so', async () => {
    const taken = '{"job_id": "someone"}\n';
    const run = await runTree(tree({ move: ['watch/running/job.json', 'watch/failed/job.json'] }, 0, { 'watch/failed/job.result.json': taken }));

    expect(run.exit).toBe(0);
    expect(run.tree['watch/failed/job.result.json']).toEqual({ job_id: 'someone' });
    expect(files(run, 'completed')).toEqual(['watch/completed/job.result.json']);
    expect(run.lines).toContain(
      'running/job.json was moved to failed/job.json while its job ran, where job.result.json is taken: its result is completed/job.result.json',
    );
  });

  it('removed, with another file of its name in failed/: that file is not taken for it', async () => {
    const other = withFields(baseJobSpec(), { job_id: 'other001' });
    const run = await runTree(tree({ remove: 'watch/running/job.json' }, 1, { 'watch/failed/job.json': other }));

    expect(run.exit).toBe(1);
    expect(files(run, 'failed')).toEqual(['watch/failed/job.json', 'watch/failed/job_<UTCSTAMP>.result.json']);
    // Console lines keep the real stamp (only snapshots mask it).
    const said = run.lines.filter((line) => /^running\/job\.json was moved or deleted while its job ran and is not in completed\/ or failed\/: its result is failed\/job_\d{8}T\d{6}Z\.result\.json$/.test(line));
    expect(said).toHaveLength(1);
  });

  it('moved to failed/ but seen there with its inode number on another device: not the same file', async () => {
    const otherDevice = (fs: Fs): Fs => ({
      ...fs,
      async lstat(path) {
        const stat = await fs.lstat(path);
        return path === scenarioPath('watch/failed/job.json') ? { ...stat, dev: stat.dev + 1 } : stat;
      },
    });
    const run = await runTree(tree({ move: ['watch/running/job.json', 'watch/failed/job.json'] }, 0), { wrapFs: otherDevice });

    expect(files(run, 'completed')).toEqual(['watch/completed/job.result.json']);
    expect(files(run, 'failed')).toEqual(['watch/failed/job.json']);
  });

  it('moved into its destination just after its result temp was written there: the temp is published where it is', async () => {
    const running = scenarioPath('watch/running/job.json');
    const movedInstant = (fs: Fs): Fs => ({
      ...fs,
      async writeFileExclusive(path, data) {
        await fs.writeFileExclusive(path, data);
        if (path === scenarioPath('watch/completed/.job.result.tmp')) await fs.rename(running, scenarioPath('watch/completed/job.json'));
      },
    });
    const run = await runTree(
      { 'watch/pending/job.json': withFields(baseJobSpec(), { job_id: 'moved001' }), 'media/clip.mov': { $media: {} }, out: { $dir: true } },
      { wrapFs: movedInstant },
    );

    expect(run.exit).toBe(0);
    expect(files(run, 'completed')).toEqual(['watch/completed/job.json', 'watch/completed/job.result.json']);
    expect(run.lines).toContain('running/job.json was moved to completed/job.json while its job ran: its result is completed/job.result.json, beside it');
  });

  it('stops the runner (exit 70) when completed/ or failed/ cannot be searched for the moved JobSpec', async () => {
    // A completed job's free name is chosen in completed/: the first look at failed/job.json is the search.
    const run = await runTree(tree({ remove: 'watch/running/job.json' }, 0), {
      steps: [{ run: ['--once'], fail_fs_op: { op: 'lstat watch/failed/job.json', code: 'EIO' } }],
    });

    expect(run.exit).toBe(70);
  });

  it('a leftover that vanishes while recovery files it still gets its result, alone in failed/', async () => {
    const running = scenarioPath('watch/running/left.json');
    const vanishing = (fs: Fs): Fs => ({
      ...fs,
      async link(from, to) {
        if (from === running) await fs.unlink(running);
        return fs.link(from, to);
      },
    });
    const run = await runTree({ 'watch/pending': { $dir: true }, 'watch/running/left.json': withFields(baseJobSpec(), { job_id: 'left0001' }) }, { wrapFs: vanishing });

    expect(run.exit).toBe(1); // the recovered job is FAILED (R11.6)
    expect(files(run, 'failed')).toEqual(['watch/failed/left.result.json']);
    expect(resultAt(run, 'watch/failed/left.result.json')._metadata.failure_reason).toBe('runner interrupted');
  });
});

describe("the committed JobSpec's running/ name", () => {
  const once = (unlink: (fs: Fs, path: string) => Promise<void>): ((fs: Fs) => Fs) => (fs) => ({
    ...fs,
    async unlink(path) {
      if (path === scenarioPath('watch/running/job.json')) return unlink(fs, path);
      return fs.unlink(path);
    },
  });

  it('already removed by someone else (ENOENT, and it is gone): nothing left to do, the job is filed', async () => {
    const removedMeanwhile = once(async (fs, path) => {
      await fs.unlink(path);
      throw fsError('ENOENT', 'unlink', path);
    });
    const run = await runTree(tree({ touch: 'out' }, 0), { wrapFs: removedMeanwhile });

    expect(run.exit).toBe(0);
    expect(files(run, 'running')).toEqual([]);
    expect(files(run, 'completed')).toEqual(['watch/completed/job.json', 'watch/completed/job.result.json']);
  });

  it('an ENOENT while the name is still there is disk trouble: exit 70, the job left for recovery', async () => {
    const phantom = once(async (_fs, path) => {
      throw fsError('ENOENT', 'unlink', path);
    });
    const run = await runTree(tree({ touch: 'out' }, 0), { wrapFs: phantom });

    expect(run.exit).toBe(70);
    expect(files(run, 'running')).toEqual(['watch/running/job.json']);
  });
});

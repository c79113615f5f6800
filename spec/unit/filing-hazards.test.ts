// Filing and recovery where a wrong guess would lose or overwrite a file (SPEC.md R1.1, R1.2, R4.14, R11.8),
// through runApp on memfs with a fault or a rival injected at one filesystem operation: a destination name
// that cannot be checked, a JobSpec that cannot be linked, a directory JobSpec whose name is squatted at
// the last moment, files in completed/ and failed/ that only look like the runner's temp files, and
// leftovers whose name matches a settled file that is not the same file.

import { describe, expect, it } from 'vitest';
import { Volume } from 'memfs';
import { runApp } from '../../src/app.ts';
import type { Fs } from '../../src/ports.ts';
import { RunnerKilled } from '../../src/ports.ts';
import { createFakeClock } from '../harness/fake-clock.ts';
import { createFakeHost } from '../harness/fake-host.ts';
import { createFakeTranscoder } from '../harness/fake-transcoder.ts';
import { createMemFs, fsError } from '../harness/mem-fs.ts';
import { resultTempNameOf } from '../../src/runner/filing-names.ts';
import { baseJobSpec, defaultTree, JOBSPEC_PATH, withFields } from '../generated/base.ts';
import type { TreeRun } from '../support/run-tree.ts';
import { resultAt, runTree, scenarioPath } from '../support/run-tree.ts';
import { createFakeHooks, quietConsole } from '../harness/fake-hooks.ts';


const DIRECTORY_JOBSPEC = { 'watch/pending/dir.json': { $dir: true } };

/** The claimed directory JobSpec's commit link fails with `code` (EISDIR is not among the injectable errnos). */
function linkOfDirectoryFailsWith(code: string): (fs: Fs) => Fs {
  return (fs) => ({
    ...fs,
    async link(from, to) {
      if (from === scenarioPath('watch/running/dir.json')) throw fsError(code, 'link', from, to);
      return fs.link(from, to);
    },
  });
}


function paths(run: TreeRun, prefix: string): string[] {
  return Object.keys(run.tree).filter((path) => path.startsWith(prefix));
}

describe('choosing a free name in the destination', () => {
  for (const name of ['job.json', 'job.result.json', resultTempNameOf('job')]) {
    it(`stops the runner (exit 70) when completed/${name} cannot be checked, instead of taking the name as free`, async () => {
      const run = await runTree(defaultTree(baseJobSpec()), {
        steps: [{ run: ['--once'], fail_fs_op: { op: `lstat watch/completed/${name}`, code: 'EIO' } }],
      });

      expect(run.exit).toBe(70);
      expect(paths(run, 'watch/running/')).toEqual(['watch/running/job.json']);
      expect(paths(run, 'watch/completed/')).toEqual([]);
    });
  }
});

describe('the collision suffix', () => {
  it('goes up to _99999 within one second before giving up', async () => {
    // Every name up to the last counter is taken (as far as lstat tells): the runner must try that one too.
    // runApp on a bare memfs, without the harness's fault layers: this is 100,000 lstat calls.
    const vol = new Volume();
    vol.mkdirSync('/w/pending', { recursive: true });
    vol.mkdirSync('/media');
    vol.mkdirSync('/out');
    vol.writeFileSync('/w/pending/job.json', JSON.stringify(withFields(baseJobSpec(), { sources: ['/media/clip.mov'], output_directory: '/out' })));
    vol.writeFileSync('/media/clip.mov', 'FAKEMEDIA {"exit": 0}');
    const memFs = createMemFs(vol);
    const taken = /^\/w\/completed\/job(_\d{8}T\d{6}Z(_(\d+))?)?\.json$/;
    const someFile = await memFs.lstat('/media/clip.mov');
    const fs: Fs = { ...memFs, lstat: async (path) => (taken.exec(path)?.[3] === '99999' || !taken.test(path) ? memFs.lstat(path) : someFile) };
    const clock = createFakeClock();
    const deps = {
      fs,
      clock,
      transcoder: createFakeTranscoder({ fs: memFs, clock, ffmpegPath: '/usr/bin/ffmpeg', killRunner: (why: string): never => { throw new RunnerKilled(why); } }),
      host: createFakeHost(),
      hooks: createFakeHooks(),
      console: quietConsole,
      cwd: '/',
    };

    expect(await runApp(['/w', '--once'], deps, new AbortController().signal)).toBe(0);
    const names = (vol.readdirSync('/w/completed') as string[]).map((name) => name.replace(/_\d{8}T\d{6}Z_/, '_<stamp>_'));
    expect(names).toEqual(['job_<stamp>_99999.json', 'job_<stamp>_99999.result.json']);
  }, 60_000);
});

describe('committing a JobSpec into its destination', () => {
  it('never renames a regular file whose link fails: exit 70, the JobSpec stays in running/ for recovery', async () => {
    const run = await runTree(defaultTree(baseJobSpec()), {
      steps: [{ run: ['--once'], fail_fs_op: { op: 'link watch/running/job.json', code: 'EPERM' } }],
    });

    expect(run.exit).toBe(70);
    expect(paths(run, 'watch/running/')).toEqual(['watch/running/job.json']);
    expect(paths(run, 'watch/completed/job.json')).toEqual([]);
  });

  it('files a directory JobSpec by rename when its filesystem refuses the link with EISDIR instead of EPERM', async () => {
    const run = await runTree(DIRECTORY_JOBSPEC, { wrapFs: linkOfDirectoryFailsWith('EISDIR') });

    expect(run.exit).toBe(1);
    expect(run.tree['watch/failed/dir.json']).toEqual({ $dir: true });
    expect(resultAt(run, 'watch/failed/dir.result.json')._metadata.failure_reason).toBe('Invalid JobSpec file: directory');
  });

  it('does not rename a directory JobSpec when its link failed for another reason than "directory" (EIO)', async () => {
    const run = await runTree(DIRECTORY_JOBSPEC, { wrapFs: linkOfDirectoryFailsWith('EIO') });

    expect(run.exit).toBe(70);
    expect(run.tree['watch/running/dir.json']).toEqual({ $dir: true });
    expect(paths(run, 'watch/failed/dir')).toEqual([]);
  });

  it('does not rename a directory JobSpec over a directory that took its name after the check', async () => {
    // The rival appears after the name was found free and the link was refused: only a second look sees it.
    const squatting = (fs: Fs): Fs => ({
      ...fs,
      async link(from, to) {
        try {
          await fs.link(from, to);
        } finally {
          if (to === scenarioPath('watch/failed/dir.json')) await fs.mkdir(to);
        }
      },
    });
    const run = await runTree({ ...DIRECTORY_JOBSPEC, 'watch/pending/dir.json/inside.txt': 'kept' }, { wrapFs: squatting });

    expect(run.exit).toBe(70);
    expect(run.tree['watch/failed/dir.json']).toEqual({ $dir: true });
    expect(run.tree['watch/running/dir.json/inside.txt']).toBe('kept');
  });
});

describe('temp files at startup', () => {
  const foreign = {
    'watch/completed/job.json': withFields(baseJobSpec(), { job_id: 'old00001' }),
    'watch/completed/job.result.json.bak': 'an operator backup',
    'watch/completed/.job.result.json.bak': 'an editor backup',
    'watch/completed/job.result.tmp': 'not hidden, so not ours',
    'watch/completed/.job.result.json.tmp': 'the temp name of spec 1.0, no longer ours',
    'watch/completed/.notes.tmp': 'someone else’s temp file',
    'watch/completed/.job.result.tmp.swp': 'an editor swap file',
    'watch/failed/.other.result.tmp/keep.txt': 'a directory named like a temp file',
  };

  it('leaves every file that is not a hidden `.<stem>.result.tmp` regular file alone', async () => {
    const run = await runTree({ ...foreign, 'watch/pending': { $dir: true } });

    expect(run.exit).toBe(0);
    for (const [path, content] of Object.entries(foreign)) {
      if (typeof content === 'string') expect(run.tree[path], path).toBe(content);
    }
    expect(run.tree['watch/failed/.other.result.tmp/keep.txt']).toBe('a directory named like a temp file');
  });

  it('publishes a temp result beside its committed JobSpec and removes an orphaned one, in both folders', async () => {
    const run = await runTree({
      'watch/pending': { $dir: true },
      'watch/completed/a.json': withFields(baseJobSpec(), { job_id: 'a0000001' }),
      [`watch/completed/${resultTempNameOf('a')}`]: '{"job_id": "a0000001"}\n',
      [`watch/failed/${resultTempNameOf('b')}`]: '{"job_id": "b0000001"}\n',
      'watch/failed/b.result.json': '{"job_id": "kept"}\n',
      'watch/failed/b.json': withFields(baseJobSpec(), { job_id: 'b0000001' }),
    });

    expect(run.tree['watch/completed/a.result.json']).toEqual({ job_id: 'a0000001' });
    // A result already under the final name is never replaced: the temp file is only dropped.
    expect(run.tree['watch/failed/b.result.json']).toEqual({ job_id: 'kept' });
    expect(paths(run, 'watch/completed/.')).toEqual([]);
    expect(paths(run, 'watch/failed/.')).toEqual([]);
  });
});

describe('a leftover in running/ that has a second link', () => {
  // An operator's own hard link (a backup, an archive) is not a commit: only the same file in completed/
  // or failed/ proves the job was filed.
  const leftover = (): Record<string, unknown> => {
    const tree: Record<string, unknown> = {
      'watch/running/job.json': withFields(baseJobSpec(), { job_id: 'left0001' }),
      'archive/job.json': { $hardlink: 'watch/running/job.json' },
      'watch/completed/job.json': withFields(baseJobSpec(), { job_id: 'old00001' }),
      'watch/completed/job.result.json': '{"job_id": "old00001"}\n',
      'media/clip.mov': { $media: { exit: 0 } },
      out: { $dir: true },
    };
    return tree;
  };

  it('is filed as interrupted when the settled file of its name is another file (another inode)', async () => {
    const run = await runTree({ ...leftover(), 'watch/pending': { $dir: true } });

    expect(paths(run, 'watch/running/')).toEqual([]);
    const filed = paths(run, 'watch/failed/').filter((path) => path.endsWith('.result.json'));
    expect(filed).toHaveLength(1);
    expect(resultAt(run, filed[0] ?? '')._metadata.failure_reason).toBe('runner interrupted');
    expect(run.tree['watch/completed/job.result.json']).toEqual({ job_id: 'old00001' });
  });

  it('is filed as interrupted when the settled file has its inode number on another device', async () => {
    const sameInodeOtherDevice = (fs: Fs): Fs => ({
      ...fs,
      async lstat(path) {
        const stat = await fs.lstat(path);
        if (path !== scenarioPath('watch/completed/job.json')) return stat;
        const running = await fs.lstat(scenarioPath('watch/running/job.json')).catch(() => null);
        return running === null ? stat : { ...stat, ino: running.ino, dev: running.dev + 1 };
      },
    });
    const run = await runTree({ ...leftover(), 'watch/pending': { $dir: true } }, { wrapFs: sameInodeOtherDevice });

    const filed = paths(run, 'watch/failed/').filter((path) => path.endsWith('.result.json'));
    expect(filed).toHaveLength(1);
  });

  it.each(['job_20260304T050607Z', 'job_20260304T050607Z_2'])(
    'is only unlinked when it is committed under the suffixed name %s.json (same inode, its result temp beside it)',
    async (settledStem) => {
      const result = '{"job_id": "left0001", "final_status": "FAILED"}\n';
      // What a crash just before the running/ name's unlink leaves (SPEC R4.14): the temp outlives it.
      const run = await runTree({
        'watch/pending': { $dir: true },
        'watch/running/job.json': withFields(baseJobSpec(), { job_id: 'left0001' }),
        [`watch/failed/${settledStem}.json`]: { $hardlink: 'watch/running/job.json' },
        [`watch/failed/${settledStem}.result.json`]: result,
        [`watch/failed/${resultTempNameOf(settledStem)}`]: result,
      });

      expect(paths(run, 'watch/running/')).toEqual([]);
      expect(paths(run, 'watch/failed/')).toHaveLength(2);
    },
  );

  it('keeps a same-inode file of the same name in pending/ when it is on another device', async () => {
    const sameInodeOtherDevice = (fs: Fs): Fs => ({
      ...fs,
      async lstat(path) {
        const stat = await fs.lstat(path);
        if (path !== scenarioPath(JOBSPEC_PATH)) return stat;
        const running = await fs.lstat(scenarioPath('watch/running/job.json')).catch(() => null);
        return running === null ? stat : { ...stat, ino: running.ino, dev: running.dev + 1 };
      },
    });
    const run = await runTree({ ...leftover(), [JOBSPEC_PATH]: withFields(baseJobSpec(), { job_id: 'new00001' }) }, { wrapFs: sameInodeOtherDevice });

    const jobIds = paths(run, 'watch/')
      .filter((path) => path.endsWith('.result.json'))
      .map((path) => (run.tree[path] as { job_id: string }).job_id)
      .sort();
    expect(jobIds).toEqual(['new00001', 'old00001', 'unknown']);
  });

  it('keeps a different file of the same name in pending/ (a resubmission, not a half-durable claim)', async () => {
    const resubmitted = withFields(baseJobSpec(), { job_id: 'new00001' });
    const run = await runTree({ ...leftover(), [JOBSPEC_PATH]: resubmitted });

    // The leftover is filed as interrupted (unread: a file with two links has job_id "unknown"), and the
    // resubmission then runs as a job of its own.
    const results = paths(run, 'watch/').filter((path) => path.endsWith('.result.json'));
    const jobIds = results.map((path) => (run.tree[path] as { job_id: string }).job_id).sort();
    expect(jobIds).toEqual(['new00001', 'old00001', 'unknown']);
  });
});

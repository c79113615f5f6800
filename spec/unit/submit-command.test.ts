// `submit JOBSPEC… --to FOLDER` through runApp on memfs: the protocol's order of operations (staged,
// checked, linked without replacing, made durable, staged name dropped), every refusal with its reason and
// exit code, and the one case a runner meets half-way (a claim between the link and the drop).

import { describe, expect, it } from 'vitest';
import { runApp } from '../../src/app.ts';
import type { SubmitReport } from '../../src/commands/submit.ts';
import type { Deps, Fs } from '../../src/ports.ts';
import type { Faults } from '../support/mem-deps.ts';
import { fsError, memDeps } from '../support/mem-deps.ts';
import { createCapturingConsole } from '../harness/fake-hooks.ts';
import { jobSpecText } from '../support/jobspec-text.ts';

const spec = jobSpecText;

const WATCH_DIRS = ['/w/pending', '/w/running', '/w/completed', '/w/failed'];

interface SubmitOptions {
  readonly dirs?: string[];
  readonly faults?: Faults;
  /** The filesystem submit is given, made from the volume's own ports. */
  readonly fs?: (deps: Deps) => Fs;
  readonly links?: Record<string, string>;
}

async function submit(files: Record<string, string>, argv: string[], options: SubmitOptions = {}) {
  const setup = memDeps({ dirs: ['/media', '/proxies', '/jobs', ...(options.dirs ?? WATCH_DIRS)], files: { '/media/A001.mov': 'x', ...files }, faults: options.faults });
  for (const [name, existing] of Object.entries(options.links ?? {})) setup.vol.linkSync(existing, name);
  const console = createCapturingConsole();
  const fs = options.fs === undefined ? setup.deps.fs : options.fs(setup.deps);
  const exit = await runApp(['submit', ...argv], { ...setup.deps, fs, console }, new AbortController().signal);
  const out = console.outLines.join('\n');
  const report = argv.includes('--json') && exit !== 2 ? (JSON.parse(out) as SubmitReport) : null;
  return { ...setup, exit, console, out, report };
}

const listed = (run: { vol: { existsSync(p: string): boolean; readdirSync(p: string): unknown } }, dir: string): string[] =>
  run.vol.existsSync(dir) ? (run.vol.readdirSync(dir) as string[]) : [];

describe('submit', () => {
  it('stages, checks, links into pending/ and drops the staged name, in that order; exit 0', async () => {
    const run = await submit({ '/jobs/good.json': spec() }, ['/jobs/good.json', '--to', '/w', '--json']);

    expect(run.exit).toBe(0);
    expect(run.report).toEqual({
      submitted: true,
      folder: '/w',
      files: [{ file: '/jobs/good.json', submitted: true, job_id: 'job00001', pending_path: '/w/pending/good.json', reason: null, warning: null }],
    });
    expect(run.files('/w/pending')).toEqual({ 'good.json': spec() });
    expect(run.vol.lstatSync('/w/pending/good.json').nlink).toBe(1);
    expect(listed(run, '/w/.submitting')).toEqual([]);
    const writes = run.calls.filter((call) => !/^(readdir|lstat|stat|openNoFollow|readFile) /.test(call));
    expect(writes).toEqual([
      'mkdir /w/.submitting',
      'fsyncDir /w',
      'writeFileExclusive /w/.submitting/good.json',
      'link /w/.submitting/good.json /w/pending/good.json',
      'fsyncDir /w/pending',
      'unlink /w/.submitting/good.json',
      'fsyncDir /w/.submitting',
    ]);
    // The check reads the staged bytes, not the original file a second time.
    expect(run.calls.indexOf('openNoFollow /w/.submitting/good.json')).toBeGreaterThan(run.calls.indexOf('writeFileExclusive /w/.submitting/good.json'));
  });

  it('refuses an invalid JobSpec with the runner’s reason, leaves pending/ and the staged folder empty; exit 1', async () => {
    const run = await submit({ '/jobs/bad.json': spec({ codec: 'h246' }), '/jobs/good.json': spec({ job_id: 'job00002' }) }, ['/jobs/bad.json', '/jobs/good.json', '--to', '/w']);

    expect(run.exit).toBe(1);
    const lines = run.out.split('\n');
    expect(lines[0]).toMatch(/^\/jobs\/bad\.json: NOT submitted \(job_id job00001\): JobSpec contract violation: /);
    expect(lines[1]).toBe('/jobs/good.json: submitted (job_id job00002) as /w/pending/good.json');
    expect(lines.at(-1)).toBe('1 of 2 not submitted');
    expect(Object.keys(run.files('/w/pending'))).toEqual(['good.json']);
    expect(listed(run, '/w/.submitting')).toEqual([]);
  });

  it('never replaces a name already in pending/: refused, the other file keeps its bytes', async () => {
    const run = await submit({ '/jobs/job.json': spec(), '/w/pending/job.json': 'someone else’s' }, ['/jobs/job.json', '--to', '/w', '--json']);

    expect(run.exit).toBe(1);
    expect(run.report?.files[0]?.reason).toBe('Cannot submit: /w/pending/job.json already exists (nothing was replaced)');
    expect(run.files('/w/pending')).toEqual({ 'job.json': 'someone else’s' });
    expect(listed(run, '/w/.submitting')).toEqual([]);
  });

  it('takes an EEXIST from a link that names its own file (a network client’s retried link) as done', async () => {
    const retried = ({ fs }: Deps): Fs => ({
      ...fs,
      link: async (from, to) => {
        await fs.link(from, to);
        throw fsError('EEXIST');
      },
    });
    const run = await submit({ '/jobs/job.json': spec() }, ['/jobs/job.json', '--to', '/w', '--json'], { fs: retried });

    expect(run.exit).toBe(0);
    expect(run.report?.files[0]).toMatchObject({ submitted: true, pending_path: '/w/pending/job.json' });
    expect(run.files('/w/pending')).toEqual({ 'job.json': spec() });
    expect(listed(run, '/w/.submitting')).toEqual([]);
  });

  it('a runner that claims the JobSpec between the link and the drop runs it (not a hard link) and drops the staged name itself', async () => {
    let runnerExit: number | null = null;
    const runnerConsole = createCapturingConsole();
    const claimedMeanwhile = (deps: Deps): Fs => ({
      ...deps.fs,
      link: async (from, to) => {
        await deps.fs.link(from, to);
        runnerExit = await runApp(['/w', '--once'], { ...deps, console: runnerConsole }, new AbortController().signal);
      },
    });
    const run = await submit({ '/jobs/job.json': spec() }, ['/jobs/job.json', '--to', '/w', '--json'], { fs: claimedMeanwhile });

    expect(run.exit).toBe(0);
    expect(run.report?.files[0]).toMatchObject({ submitted: true, warning: null });
    expect(runnerExit).toBe(1); // the fake host has no FFmpeg: the job ran and failed its clip
    const result = JSON.parse(run.files('/w/failed')['job.result.json'] ?? '{}') as { job_id: string; _metadata: { failure_reason: string } };
    expect(result.job_id).toBe('job00001');
    expect(result._metadata.failure_reason).toMatch(/FFmpeg/);
    expect(run.vol.lstatSync('/w/failed/job.json').nlink).toBe(1);
    expect(listed(run, '/w/.submitting')).toEqual([]);
  });

  it('refuses while another submission of the name is staged, and leaves that file alone', async () => {
    const run = await submit({ '/jobs/job.json': spec(), '/w/.submitting/job.json': 'half' }, ['/jobs/job.json', '--to', '/w', '--json'], { dirs: [...WATCH_DIRS, '/w/.submitting'] });

    expect(run.exit).toBe(1);
    expect(run.report?.files[0]?.reason).toBe(
      'Cannot submit: /w/.submitting/job.json exists: another submission of job.json is under way, or one was interrupted (remove it when no submit is running)',
    );
    expect(run.files('/w/.submitting')).toEqual({ 'job.json': 'half' });
    expect(run.files('/w/pending')).toEqual({});
  });

  it('refuses a name a runner never picks up before writing anything', async () => {
    const run = await submit({ '/jobs/job.txt': spec(), '/jobs/job.result.json': spec() }, ['/jobs/job.txt', '/jobs/job.result.json', '--to', '/w', '--json']);

    expect(run.exit).toBe(1);
    expect(run.report?.files.map((f) => f.reason)).toEqual([
      'Cannot submit job.txt: a runner only picks up names ending in .json (and never *.result.json)',
      'Cannot submit job.result.json: a runner only picks up names ending in .json (and never *.result.json)',
    ]);
    expect(run.vol.existsSync('/w/.submitting')).toBe(false);
  });

  it('reads the file as the runner reads a JobSpec: a missing file and a hard link are refused with the runner’s words', async () => {
    const run = await submit({ '/jobs/linked.json': spec() }, ['/jobs/missing.json', '/jobs/linked.json', '--to', '/w', '--json'], { links: { '/jobs/other-name.json': '/jobs/linked.json' } });

    expect(run.exit).toBe(1);
    expect(run.report?.files.map((f) => f.reason)).toEqual(['No such file: /jobs/missing.json', 'Invalid JobSpec file: hard link (link count 2)']);
    expect(run.vol.existsSync('/w/.submitting')).toBe(false);
  });

  it('says it was submitted, with a warning, when only making pending/ durable failed', async () => {
    const run = await submit({ '/jobs/job.json': spec() }, ['/jobs/job.json', '--to', '/w', '--json'], { faults: { fsyncDir: [undefined, 'EIO'] } });

    expect(run.exit).toBe(0);
    expect(run.report?.files[0]).toMatchObject({ submitted: true, warning: 'making /w/pending durable failed (EIO): a power cut could lose this submission' });
    expect(run.files('/w/pending')).toEqual({ 'job.json': spec() });
  });

  it('refuses a file whose staged write fails, leaving nothing behind', async () => {
    const run = await submit({ '/jobs/job.json': spec() }, ['/jobs/job.json', '--to', '/w', '--json'], { faults: { writeFileExclusive: ['ENOSPC'] } });

    expect(run.exit).toBe(1);
    expect(run.report?.files[0]?.reason).toBe('Cannot submit: writing /w/.submitting/job.json failed (ENOSPC)');
    expect(listed(run, '/w/.submitting')).toEqual([]);
    expect(run.files('/w/pending')).toEqual({});
  });

  it.each([
    ['a file named .submitting', { files: { '/w/.submitting': 'x' } }, 'Cannot submit: /w/.submitting exists but is not a directory'],
    ['mkdir refused', { faults: { mkdir: ['EACCES'] } }, 'Cannot submit: creating /w/.submitting failed (EACCES)'],
    ['the new folder not made durable', { faults: { fsyncDir: ['EIO'] } }, 'Cannot submit: making durable /w/.submitting failed (EIO)'],
    ['pending/ gone before the link', { faults: { link: ['ENOENT'] } }, 'Cannot submit: /w/pending does not exist (is /w a watch folder?)'],
    ['pending/ on another filesystem', { faults: { link: ['EXDEV'] } }, 'Cannot submit: /w/.submitting and /w/pending must be on one filesystem (EXDEV)'],
    ['the link refused', { faults: { link: ['EPERM'] } }, 'Cannot submit: linking into /w/pending/job.json failed (EPERM)'],
  ] as const)('refuses the file when %s, leaving nothing staged', async (_what, setup, reason) => {
    const files = 'files' in setup ? setup.files : {};
    const run = await submit({ '/jobs/job.json': spec(), ...files }, ['/jobs/job.json', '--to', '/w', '--json'], { faults: 'faults' in setup ? setup.faults : undefined });

    expect(run.exit).toBe(1);
    expect(run.report?.files[0]?.reason).toBe(reason);
    expect(run.files('/w/pending')).toEqual({});
    if (run.vol.existsSync('/w/.submitting') && run.vol.lstatSync('/w/.submitting').isDirectory()) expect(listed(run, '/w/.submitting')).toEqual([]);
  });

  it('says it was submitted, with a warning, when only removing the staged name failed', async () => {
    const run = await submit({ '/jobs/job.json': spec() }, ['/jobs/job.json', '--to', '/w', '--json'], { faults: { unlink: ['EIO'] } });

    expect(run.exit).toBe(0);
    expect(run.report?.files[0]).toMatchObject({ submitted: true, warning: 'removing /w/.submitting/job.json failed (EIO): the runner drops it when it claims the JobSpec' });
    expect(run.files('/w/pending')).toEqual({ 'job.json': spec() });
  });

  it('exits 2 without writing when the folder has no pending/, or --to or the files are missing', async () => {
    const bare = await submit({ '/jobs/job.json': spec() }, ['/jobs/job.json', '--to', '/w'], { dirs: ['/w'] });
    expect(bare.exit).toBe(2);
    expect(bare.console.errLines).toHaveLength(1);
    expect(bare.console.errLines[0]).toMatch(/ error: Not a watch folder: \/w\/pending is not a directory \(a runner's first start creates it\)$/);
    expect(bare.vol.readdirSync('/w')).toEqual([]);

    expect((await submit({ '/jobs/job.json': spec() }, ['/jobs/job.json'])).exit).toBe(2);
    expect((await submit({}, ['--to', '/w'])).exit).toBe(2);
    expect((await submit({}, ['/jobs/job.json', '--to', ''])).console.errLines[0]).toMatch(/ error: --to needs a watch folder, got '' \(see --help\)$/);
  });
});

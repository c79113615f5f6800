// `validate FILE…` through runApp on memfs: the runner's own checks and reasons, what it would run, the
// exit codes, and proof that it touches nothing (every filesystem call it makes only reads, and the
// volume is byte for byte what it was).

import { describe, expect, it } from 'vitest';
import { runApp } from '../../src/app.ts';
import type { ValidateReport } from '../../src/commands/validate.ts';
import { shellQuoted } from '../../src/commands/validate.ts';
import { createCapturingConsole } from '../harness/fake-hooks.ts';
import { memDeps } from '../support/mem-deps.ts';
import { jobSpecText } from '../support/jobspec-text.ts';

const READ_ONLY = new Set(['readdir', 'lstat', 'stat', 'openNoFollow', 'readFile']);

const spec = (fields: Record<string, unknown> = {}): string => jobSpecText({ sources: ['/media/A001.mov', '/media/A002.mov'], ...fields });

async function validate(files: Record<string, string>, argv: string[]) {
  const setup = memDeps({ dirs: ['/media', '/proxies', '/jobs'], files: { '/media/A001.mov': 'x', '/media/A002.mov': 'y', ...files } });
  const { deps, vol, calls } = setup;
  const console = createCapturingConsole();
  const before = JSON.stringify(vol.toJSON());
  const transcoder = { ...deps.transcoder, locate: async () => '/usr/bin/ffmpeg' };
  const exit = await runApp(['validate', ...argv], { ...deps, transcoder, console }, new AbortController().signal);
  return { exit, console, calls, unchanged: JSON.stringify(vol.toJSON()) === before };
}

describe('validate', () => {
  it('shows a valid JobSpec as the runner would run it: profile, outputs, exact FFmpeg argv; exit 0', async () => {
    const run = await validate({ '/jobs/good.json': spec() }, ['/jobs/good.json', '--json']);

    expect(run.exit).toBe(0);
    const report = JSON.parse(run.console.outLines.join('\n')) as ValidateReport;
    expect(report.valid).toBe(true);
    expect(report.ffmpeg).toBe('/usr/bin/ffmpeg');
    const [file] = report.files;
    expect(file).toMatchObject({ file: '/jobs/good.json', valid: true, job_id: 'job00001', reason: null, would_file_as: null, profile: 'proxy_h264_low', name_warning: null });
    expect(file?.clips.map((c) => [c.source, c.output, c.partial_output])).toEqual([
      ['/media/A001.mov', '/proxies/A001_proxy.mp4', '/proxies/A001_proxy.mp4.partial'],
      ['/media/A002.mov', '/proxies/A002_proxy.mp4', '/proxies/A002_proxy.mp4.partial'],
    ]);
    expect(file?.clips[0]?.ffmpeg_command.slice(0, 4)).toEqual(['/usr/bin/ffmpeg', '-hide_banner', '-nostdin', '-n']);
    expect(file?.clips[0]?.ffmpeg_command.at(-1)).toBe('/proxies/A001_proxy.mp4.partial');
  });

  it('fails with the runner’s reason, in the runner’s order, and says it would be PARTIAL; exit 1', async () => {
    const run = await validate(
      { '/jobs/good.json': spec(), '/jobs/bad.json': spec({ codec: 'h246', colour: 'red' }), '/jobs/dup.json': '{"jobspec_version": "2.1", "jobspec_version": "2.1"}' },
      ['/jobs/good.json', '/jobs/bad.json', '/jobs/dup.json', '/jobs/missing.json'],
    );

    expect(run.exit).toBe(1);
    const text = run.console.outLines.join('\n').split('\n');
    // Unknown fields are checked before enums (SPEC.md section 5), exactly as a claimed job is.
    expect(text.find((l) => l.startsWith('/jobs/bad.json'))).toMatch(/^\/jobs\/bad\.json: INVALID \(job_id job00001\): JobSpec contract violation: Unknown fields in JobSpec: \[colour\]\./);
    expect(text).toContain('  the runner would file it as PARTIAL without starting FFmpeg');
    expect(text.find((l) => l.startsWith('/jobs/dup.json: INVALID'))).toMatch(/Invalid JSON: duplicate key 'jobspec_version'/);
    expect(text).toContain('/jobs/missing.json: INVALID (job_id unknown): No such file: /jobs/missing.json');
    expect(text.at(-1)).toBe('3 of 4 invalid');
  });

  it('notes a name the runner would never pick up from pending/', async () => {
    const run = await validate({ '/jobs/job.result.json': spec() }, ['/jobs/job.result.json', '--json']);

    const report = JSON.parse(run.console.outLines.join('\n')) as ValidateReport;
    expect(report.files[0]?.valid).toBe(true);
    expect(report.files[0]?.name_warning).toMatch(/never \*\.result\.json/);
  });

  it('touches nothing: no folder created, no probe file, nothing moved; it only reads', async () => {
    const run = await validate({ '/jobs/good.json': spec(), '/jobs/bad.json': spec({ output_directory: '/nowhere' }) }, ['/jobs/good.json', '/jobs/bad.json']);

    expect(run.unchanged).toBe(true);
    expect(run.calls.length).toBeGreaterThan(0);
    expect(run.calls.filter((call) => !READ_ONLY.has(call.split(' ')[0] ?? ''))).toEqual([]);
  });

  it('answers a usage error with exit 2', async () => {
    const run = await validate({}, []);
    expect(run.exit).toBe(2);
    expect(run.console.errLines).toHaveLength(1);
  });

  it('quotes the shown command so that it can be pasted into a shell', () => {
    expect(shellQuoted('scale=trunc(iw/4)*2:trunc(ih/4)*2')).toBe("'scale=trunc(iw/4)*2:trunc(ih/4)*2'");
    expect(shellQuoted("it's")).toBe("'it'\\''s'");
    expect(shellQuoted('/proxies/A001_proxy.mp4')).toBe('/proxies/A001_proxy.mp4');
  });
});

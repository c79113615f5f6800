// Planning and running clips, through processJob with a transcoder that does exactly what each test
// needs: the argv when no FFmpeg is installed, a killed FFmpeg's exit code, something other than a file
// under the `.partial` name, which clip results name a kept `.partial`; and the preflight's answers for
// what is already at an output's names. The scenarios cover the common cases with the fake FFmpeg; these
// are the outcomes it cannot produce.

import type { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import type { Fs, TranscodeOutcome, TranscodeRequest } from '../../src/ports.ts';
import { layoutOf } from '../../src/runner/layout.ts';
import { processJob } from '../../src/runner/job.ts';
import { memDeps } from '../support/mem-deps.ts';
import { OutputsInFlight } from '../../src/runner/outputs-in-flight.ts';

const ROOT = '/w';
const layout = layoutOf(ROOT);
const SOURCE = '/media/clip.mov';
const OUTPUT = '/out/clip_proxy.mov';
const PARTIAL = `${OUTPUT}.partial`;
const JOB_FIELDS = {
  jobspec_version: '2.1',
  job_id: 'exec0001',
  sources: [SOURCE],
  output_directory: '/out',
  codec: 'prores_proxy',
  container: 'mov',
  resolution: 'same',
  naming_template: '{source_name}_proxy',
  proxy_profile: 'proxy_prores_proxy',
};

interface Run {
  readonly result: Record<string, unknown>;
  readonly clip: Record<string, unknown>;
  readonly outFiles: Record<string, string>;
}

interface JobSetup {
  /** Fields that replace or add to the JobSpec's. */
  readonly job?: Record<string, unknown>;
  /** Files there before the job (path → text). */
  readonly files?: Record<string, string>;
  readonly wrap?: (fs: Fs) => Fs;
}

type Ffmpeg = ((request: TranscodeRequest, fs: Fs, vol: Volume) => Promise<TranscodeOutcome>) | null;

/** One job with one clip, run by `ffmpeg` (or none installed: `null`); the result and its one clip. */
async function settle(ffmpeg: Ffmpeg, setup: JobSetup = {}): Promise<Run> {
  const w = memDeps({
    dirs: [layout.pending, layout.running, layout.completed, layout.failed, '/media', '/out'],
    files: { [`${layout.pending}/job.json`]: JSON.stringify({ ...JOB_FIELDS, ...setup.job }), [SOURCE]: 'source bytes', ...setup.files },
  });
  const wrap = setup.wrap ?? ((fs: Fs) => fs);
  const fs = wrap(w.deps.fs);
  const deps = {
    ...w.deps,
    fs,
    transcoder: { locate: async () => (ffmpeg === null ? null : '/usr/bin/ffmpeg'), run: (request: TranscodeRequest) => (ffmpeg === null ? Promise.reject(new Error('not installed')) : ffmpeg(request, fs, w.vol)) },
  };
  const ctx = { deps, layout, workerStartedAt: 'now', stop: new AbortController().signal, clipTimeoutMs: 60_000, progressMs: 0, running: new Set<string>(), worker: 1, inFlight: new OutputsInFlight(), lock: { recordChild: async () => undefined, recordActivity: async () => undefined, release: async () => undefined } };
  const outcome = await processJob(ctx, 'job.json');
  if (outcome.kind !== 'settled') throw new Error(`not settled: ${outcome.detail}`);
  const folder = outcome.status === 'COMPLETED' ? layout.completed : layout.failed;
  const result = JSON.parse(String(w.vol.readFileSync(`${folder}/job.result.json`))) as Record<string, unknown>;
  const clips = result['clips'] as Record<string, unknown>[];
  return { result, clip: clips[0] ?? {}, outFiles: w.files('/out') };
}

/** As settle, for a job whose clip must have run. */
async function runJob(ffmpeg: Ffmpeg, wrap?: (fs: Fs) => Fs): Promise<Run> {
  const run = await settle(ffmpeg, wrap === undefined ? {} : { wrap });
  if (Object.keys(run.clip).length === 0) throw new Error(`no clip ran: ${JSON.stringify(run.result['_metadata'])}`);
  return run;
}

const exited = (exitCode: number): TranscodeOutcome => ({ exitCode, signal: null, timedOut: false, stderrTail: '' });

describe('running a clip', () => {
  it('no FFmpeg installed: the clip fails before any process, and its command names plain "ffmpeg"', async () => {
    const { clip } = await runJob(null);
    expect(clip['failure_reason']).toBe('FFmpeg not found. Install FFmpeg to use headless execution.');
    expect((clip['ffmpeg_command'] as string[])[0]).toBe('ffmpeg');
    expect(clip['exit_code']).toBe(-1);
    expect(clip['partial_output_path']).toBeNull();
  });

  it('the located FFmpeg is the command\'s first word', async () => {
    const { clip } = await runJob(async (request, fs) => {
      await fs.writeFileExclusive(PARTIAL, new TextEncoder().encode('proxy'));
      expect(request.argv[0]).toBe('/usr/bin/ffmpeg');
      return exited(0);
    });
    expect(clip['status']).toBe('COMPLETED');
    expect((clip['ffmpeg_command'] as string[])[0]).toBe('/usr/bin/ffmpeg');
    expect(clip['output_exists']).toBe(true);
    expect(clip['output_size_bytes']).toBe(5);
  });

  it('killed by a signal: exit_code -1 and the signal in the reason; the .partial it left is named and kept', async () => {
    const { clip, outFiles } = await runJob(async (_request, fs) => {
      await fs.writeFileExclusive(PARTIAL, new TextEncoder().encode('half'));
      return { exitCode: null, signal: 'SIGKILL', timedOut: false, stderrTail: '' };
    });
    expect(clip).toMatchObject({ status: 'FAILED', exit_code: -1, failure_reason: 'FFmpeg was killed by signal SIGKILL', output_exists: false, output_size_bytes: null, partial_output_path: PARTIAL });
    expect(outFiles).toEqual({ 'clip_proxy.mov.partial': 'half' });
  });

  it('a clean exit that left a directory under the .partial name (size 4096, as on a real disk) is no output', async () => {
    const dirsHaveSize = (fs: Fs): Fs => ({
      ...fs,
      lstat: async (path) => {
        const stat = await fs.lstat(path);
        return stat.kind === 'directory' ? { ...stat, size: 4096 } : stat;
      },
    });
    const { clip } = await runJob(async (_request, fs) => {
      await fs.mkdir(PARTIAL);
      return exited(0);
    }, dirsHaveSize);
    expect(clip).toMatchObject({ status: 'FAILED', exit_code: 0, failure_reason: 'Output file does not exist or has zero size', output_exists: false, partial_output_path: null });
  });

  it('a failed exit without any .partial: no partial_output_path', async () => {
    const { clip } = await runJob(async () => exited(1));
    expect(clip).toMatchObject({ status: 'FAILED', exit_code: 1, failure_reason: 'FFmpeg exited with code 1', partial_output_path: null });
  });
});

describe('planning a job', () => {
  const writes = async (_request: TranscodeRequest, fs: Fs) => {
    await fs.writeFileExclusive(PARTIAL, new TextEncoder().encode('proxy'));
    return exited(0);
  };
  const reasonOf = (run: Run) => (run.result['_metadata'] as Record<string, unknown>)['validation_error'];

  it('fps_explicit without fps_mode "explicit" is checked but not used: no rate in the command', async () => {
    const { clip } = await settle(writes, { job: { fps_mode: 'same-as-source', fps_explicit: 25 } });
    expect(clip['status']).toBe('COMPLETED');
    expect(clip['ffmpeg_command']).not.toContain('-r');
    const explicit = await settle(writes, { job: { fps_mode: 'explicit', fps_explicit: 25 } });
    expect(explicit.clip['ffmpeg_command']).toContain('-r');
  });

  it('an empty .partial left beside a free output name is named as it is, not as a placeholder', async () => {
    const run = await settle(writes, { files: { [PARTIAL]: '' } });
    expect(run.result['final_status']).toBe('PARTIAL');
    expect(reasonOf(run)).toBe(`JobSpec validation failed: Output already exists: ${PARTIAL}`);
  });

  it('an output name that cannot be checked fails the job with the code; a failing disk stops the runner', async () => {
    const failingLstat = (code: string) => (fs: Fs): Fs => ({
      ...fs,
      lstat: async (path) => {
        if (path === OUTPUT) throw Object.assign(new Error(code), { code });
        return fs.lstat(path);
      },
    });
    const refused = await settle(writes, { wrap: failingLstat('EACCES') });
    expect(reasonOf(refused)).toBe(`JobSpec validation failed: Cannot check whether ${OUTPUT} exists (EACCES)`);
    expect(refused.outFiles).toEqual({});
    await expect(settle(writes, { wrap: failingLstat('EIO') })).rejects.toMatchObject({ code: 'EIO' });
  });
});

describe('the result of a run', () => {
  const writesPartial = async (request: TranscodeRequest, fs: Fs) => {
    await fs.writeFileExclusive(request.argv[request.argv.length - 1] ?? '', new TextEncoder().encode('proxy'));
    return exited(0);
  };

  it('a source replaced during the encode by another file of the same size and time fails the clip', async () => {
    const run = await settle(async (request, fs, vol) => {
      const before = vol.statSync(SOURCE);
      vol.writeFileSync('/media/copy.tmp', 'source bytes');
      vol.renameSync('/media/copy.tmp', SOURCE);
      vol.utimesSync(SOURCE, before.atime, before.mtime);
      return writesPartial(request, fs);
    });
    expect(run.clip).toMatchObject({ status: 'FAILED', failure_reason: `Source changed during encode: ${SOURCE} (it was replaced by another file)` });
    expect(run.outFiles).toEqual({ 'clip_proxy.mov.partial': 'proxy' });
  });

  it('a failing disk while checking the source after the encode stops the runner', async () => {
    let encoded = false;
    const wrap = (fs: Fs): Fs => ({
      ...fs,
      stat: async (path) => {
        if (encoded && path === SOURCE) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        return fs.stat(path);
      },
    });
    const failing = settle(async (request, fs) => {
      encoded = true;
      return writesPartial(request, fs);
    }, { wrap });
    await expect(failing).rejects.toMatchObject({ code: 'EIO' });
  });

  it('a source that planning found but that is missing when FFmpeg starts fails the clip, even when FFmpeg exits 0', async () => {
    let missing = false;
    const wrap = (fs: Fs): Fs => ({
      ...fs,
      // The publish probe's cleanup is the last step of planning: from then until FFmpeg runs, the source is away.
      unlink: async (path) => {
        await fs.unlink(path);
        if (path === PARTIAL) missing = true;
      },
      stat: async (path) => {
        if (missing && path === SOURCE) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        return fs.stat(path);
      },
    });
    const run = await settle(async (request, fs) => {
      missing = false;
      return writesPartial(request, fs);
    }, { wrap });
    expect(run.clip).toMatchObject({ status: 'FAILED', exit_code: 0, failure_reason: `Source changed during encode: ${SOURCE} (it was missing when the encode started)` });
    expect(run.outFiles).toEqual({ 'clip_proxy.mov.partial': 'proxy' });
  });
});

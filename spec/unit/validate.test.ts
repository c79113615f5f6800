import { describe, it, expect } from 'vitest';
import { RunnerKilled, type EntryKind, type FileStat, type Fs } from '../../src/ports.ts';
import type { JobSpec } from '../../src/jobspec/schema.ts';
import { unknownTemplateTokens, validateJobSpec } from '../../src/jobspec/validate.ts';

const V = 'JobSpec validation failed: ';
const KNOWN_TOKENS = '{source_name}, {source_ext}, {job_id}, {date}, {time}, {index}, {codec}, {resolution}';

/** What `stat` finds at an absolute path: an entry kind, an errno code, or a thrown non-fs error. */
type Entry = EntryKind | { code: string } | Error;

/** A stat-only Fs double that records every path it was asked about. */
function statFs(entries: Record<string, Entry>): { fs: Pick<Fs, 'stat'>; calls: string[] } {
  const calls: string[] = [];
  const fs: Pick<Fs, 'stat'> = {
    async stat(path: string): Promise<FileStat> {
      calls.push(path);
      const entry = entries[path] ?? { code: 'ENOENT' };
      if (entry instanceof Error) throw entry;
      if (typeof entry === 'object') throw Object.assign(new Error(`${entry.code}: ${path}`), { code: entry.code });
      return { kind: entry, size: 1, mtimeMs: 0, nlink: 1, ino: 1, dev: 1 };
    },
  };
  return { fs, calls };
}

const BASE: JobSpec = {
  jobspec_version: '2.1',
  sources: ['/media/a.mov'],
  output_directory: '/out',
  codec: 'prores_proxy',
  container: 'mov',
  resolution: 'same',
  naming_template: '{source_name}_proxy',
};

const WORLD: Record<string, Entry> = {
  '/media/a.mov': 'file',
  '/media/b.mov': 'file',
  '/out': 'directory',
  '/work/rel/a.mov': 'file',
  '/work/outdir': 'directory',
};

async function validate(fields: Partial<JobSpec>, entries: Record<string, Entry> = WORLD) {
  return validateJobSpec({ spec: { ...BASE, ...fields }, fs: statFs(entries).fs, cwd: '/work' });
}

async function reasonFor(fields: Partial<JobSpec>, entries?: Record<string, Entry>): Promise<string> {
  const result = await validate(fields, entries);
  if (result.ok) throw new Error('expected a failure');
  return result.reason;
}

describe('validateJobSpec: accepted specs', () => {
  it('returns absolute sources (same order) and output directory, resolving relative paths against cwd', async () => {
    const result = await validate({
      sources: ['rel/a.mov', '/media/b.mov', '/media/a.mov'],
      output_directory: 'outdir',
      naming_template: '{index}',
    });
    expect(result).toEqual({ ok: true, sources: ['/work/rel/a.mov', '/media/b.mov', '/media/a.mov'], outputDirectory: '/work/outdir' });
  });

  it('accepts every valid codec/container pair, case-insensitively and with one leading dot', async () => {
    const pairs: Array<[string, string]> = [
      ['PRORES_HQ', 'MOV'], ['h264', '.mp4'], ['H265', 'mkv'], ['hevc', 'mov'], ['dnxhd', 'MXF'],
      ['dnxhr', 'mov'], ['dnxhr', 'mxf'], ['vp9', 'webm'], ['vp9', 'mkv'], ['av1', 'mp4'], ['av1', 'webm'],
    ];
    for (const [codec, container] of pairs) expect(await validate({ codec, container })).toMatchObject({ ok: true });
  });
});

describe('validateJobSpec: sources first', () => {
  it('lists every missing source as written, in order, with non-files and odd errors marked', async () => {
    const entries: Record<string, Entry> = {
      ...WORLD,
      '/media/dir': 'directory',
      '/media/fifo': 'other',
      '/media/loop': { code: 'ELOOP' },
      '/media/notdir/x': { code: 'ENOTDIR' },
      '/media/denied': { code: 'EACCES' },
      '/media/odd': { code: 'EOVERFLOW' },
    };
    const sources = ['/media/a.mov', 'gone.mov', '/media/dir', '/media/fifo', '/media/loop', '/media/notdir/x', '/media/denied', '/media/odd'];
    expect(await reasonFor({ sources, naming_template: '{index}' }, entries)).toBe(
      'Missing source files: gone.mov, /media/dir (not a file), /media/fifo (not a file), /media/loop, ' +
        '/media/notdir/x, /media/denied (EACCES), /media/odd (EOVERFLOW)',
    );
  });

  // A failing disk is the runner's trouble, not the JobSpec's: the runner stops instead of blaming the job.
  it.each(['EIO', 'ENOSPC', 'EMFILE'])('%s on a source or the output directory propagates', async (code) => {
    await expect(validate({}, { ...WORLD, '/media/a.mov': { code } })).rejects.toMatchObject({ code });
    await expect(validate({}, { '/media/a.mov': 'file', '/out': { code } })).rejects.toMatchObject({ code });
  });

  it.each(['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'EINVAL', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_TYPE'])(
    '%s counts as missing',
    async (code) => {
      expect(await reasonFor({}, { ...WORLD, '/media/a.mov': { code } })).toBe('Missing source files: /media/a.mov');
    },
  );

  it('treats a path with a NUL byte as missing without asking the filesystem', async () => {
    const { fs, calls } = statFs(WORLD);
    const result = await validateJobSpec({ spec: { ...BASE, sources: ['/media/a\u0000.mov'] }, fs, cwd: '/work' });
    expect(result).toEqual({ ok: false, reason: 'Missing source files: /media/a\u0000.mov' });
    expect(calls).toEqual([]);
  });

  it('reports missing sources before any other check', async () => {
    expect(await reasonFor({ sources: ['/nope'], codec: 'dnxhd', lut_id: 'x', output_directory: '/nope' })).toBe(
      'Missing source files: /nope',
    );
  });

  it('never catches RunnerKilled or other non-fs errors', async () => {
    const killed = new RunnerKilled('test');
    await expect(validate({}, { ...WORLD, '/media/a.mov': killed })).rejects.toBe(killed);
    await expect(validate({}, { ...WORLD, '/out': killed })).rejects.toBe(killed);
    const bug = new TypeError('bug');
    await expect(validate({}, { ...WORLD, '/media/a.mov': bug })).rejects.toBe(bug);
  });

  it('stats each source once, in order, then the output directory', async () => {
    const { fs, calls } = statFs(WORLD);
    await validateJobSpec({ spec: { ...BASE, sources: ['/media/b.mov', '/media/a.mov'], naming_template: '{index}' }, fs, cwd: '/' });
    expect(calls).toEqual(['/media/b.mov', '/media/a.mov', '/out']);
  });
});

describe('validateJobSpec: checks 1–7', () => {
  it('1: empty sources', async () => {
    expect(await reasonFor({ sources: [] })).toBe(`${V}JobSpec must have at least one source file. The sources list cannot be empty.`);
  });

  it('2: DNxHD in MOV has its own message', async () => {
    expect(await reasonFor({ codec: 'DNxHD', container: '.mov' })).toBe(
      `${V}DNxHD must be wrapped in MXF. DNxHD-in-MOV is non-standard and unsupported. Use MXF container for DNxHD ` +
        'output, or switch to DNxHR which supports MOV.',
    );
  });

  it.each([
    ['PRORES_LT', 'MP4', "Invalid container 'mp4' for codec 'prores_lt'. Valid containers for prores_lt: mov"],
    ['h264', 'webm', "Invalid container 'webm' for codec 'h264'. Valid containers for h264: mp4, mov, mkv"],
    ['dnxhd', 'mkv', "Invalid container 'mkv' for codec 'dnxhd'. Valid containers for dnxhd: mxf"],
    ['dnxhr', 'mp4', "Invalid container 'mp4' for codec 'dnxhr'. Valid containers for dnxhr: mov, mxf"],
    ['vp9', 'mp4', "Invalid container 'mp4' for codec 'vp9'. Valid containers for vp9: webm, mkv"],
    ['AV1', '.MOV', "Invalid container 'mov' for codec 'av1'. Valid containers for av1: mp4, mkv, webm"],
  ])('2: %s in %s', async (codec, container, message) => {
    expect(await reasonFor({ codec, container })).toBe(V + message);
  });

  it('3: unknown tokens, unique, in order of first appearance', async () => {
    expect(await reasonFor({ naming_template: '{b}_{source_name}_{a}_{b}_{}_{Index}' })).toBe(
      `${V}Unknown tokens in naming template: {b}, {a}, {}, {Index}. Known tokens: ${KNOWN_TOKENS}`,
    );
    expect(unknownTemplateTokens('{{index}}_{a{b}')).toEqual(['{b}']);
    expect(unknownTemplateTokens('{index}{codec}{resolution}{date}{time}{job_id}{source_ext}')).toEqual([]);
  });

  it('4: explicit fps without a value', async () => {
    const message = `${V}fps_mode is 'explicit' but fps_explicit value is not set.`;
    expect(await reasonFor({ fps_mode: 'explicit' })).toBe(message);
    expect(await reasonFor({ fps_mode: 'explicit', fps_explicit: null })).toBe(message);
  });

  it.each([
    [0, '0'],
    [-0, '-0'],
    [-24, '-24'],
    [-1e21, '-1e+21'],
  ])('4: fps_explicit %s is not positive', async (fps, shown) => {
    expect(await reasonFor({ fps_mode: 'explicit', fps_explicit: fps })).toBe(`${V}fps_explicit must be a positive number, got: ${shown}`);
    // A set value is judged whatever fps_mode says (as in the Proxx runner).
    expect(await reasonFor({ fps_explicit: fps })).toBe(`${V}fps_explicit must be a positive number, got: ${shown}`);
  });

  it('4: large and fractional rates are fine', async () => {
    expect(await validate({ fps_mode: 'explicit', fps_explicit: 2 ** 53 + 2 })).toMatchObject({ ok: true });
    expect(await validate({ fps_mode: 'explicit', fps_explicit: 23.976 })).toMatchObject({ ok: true });
  });

  it('5: multi-clip jobs need {index} or {source_name}', async () => {
    const sources = ['/media/a.mov', '/media/b.mov'];
    expect(await reasonFor({ sources, naming_template: '{job_id}_{codec}' })).toBe(
      `${V}Multi-clip jobs must include either {index} or {source_name} in naming_template to ensure unique output filenames.`,
    );
    expect(await validate({ sources, naming_template: 'x_{index}' })).toMatchObject({ ok: true });
    expect(await validate({ sources, naming_template: '{source_name}' })).toMatchObject({ ok: true });
  });

  it('6: lut_id set (any non-null string)', async () => {
    expect(await reasonFor({ lut_id: 'rec709' })).toBe(`${V}LUTs are not supported by this runner (lut_id 'rec709').`);
    expect(await reasonFor({ lut_id: '' })).toBe(`${V}LUTs are not supported by this runner (lut_id '').`);
    expect(await validate({ lut_id: null })).toMatchObject({ ok: true });
  });

  it.each([
    ['missing', {}, 'Output directory does not exist: /out'],
    ['EACCES', { '/out': { code: 'EACCES' } }, 'Output directory does not exist: /out'],
    ['a file', { '/out': 'file' as const }, 'Output path is not a directory: /out'],
    ['a FIFO', { '/out': 'other' as const }, 'Output path is not a directory: /out'],
  ])('7: output directory %s', async (_name, override, line) => {
    const entries: Record<string, Entry> = { '/media/a.mov': 'file', ...override };
    expect(await reasonFor({}, entries)).toBe(`${V}Path validation failed with 1 error(s):\n  - ${line}`);
  });

  it('7: names the output directory as written, and a NUL byte means missing without an fs call', async () => {
    expect(await reasonFor({ output_directory: 'nowhere' })).toBe(
      `${V}Path validation failed with 1 error(s):\n  - Output directory does not exist: nowhere`,
    );
    const { fs, calls } = statFs(WORLD);
    const result = await validateJobSpec({ spec: { ...BASE, output_directory: '/o\u0000ut' }, fs, cwd: '/' });
    expect(result).toEqual({ ok: false, reason: `${V}Path validation failed with 1 error(s):\n  - Output directory does not exist: /o\u0000ut` });
    expect(calls).toEqual(['/media/a.mov']);
  });
});

describe('validateJobSpec: the first failing check wins', () => {
  const two = ['/media/a.mov', '/media/b.mov'];
  it.each<[string, Partial<JobSpec>, string]>([
    ['1 before 2', { sources: [], codec: 'dnxhd' }, 'JobSpec must have at least one source'],
    ['2 before 3', { codec: 'dnxhd', naming_template: '{x}' }, 'DNxHD must be wrapped'],
    ['3 before 4', { naming_template: '{x}', fps_mode: 'explicit' }, 'Unknown tokens'],
    ['4 before 5', { sources: two, naming_template: 'x', fps_explicit: 0 }, 'fps_explicit must be'],
    ['5 before 6', { sources: two, naming_template: 'x', lut_id: 'l' }, 'Multi-clip jobs'],
    ['6 before 7', { lut_id: 'l', output_directory: '/nope' }, 'LUTs are not supported'],
  ])('%s', async (_name, fields, start) => {
    expect(await reasonFor(fields)).toMatch(new RegExp(`^${V}${start}`));
  });

  it('checks 1–6 run before the output directory is stat-ed', async () => {
    const { fs, calls } = statFs(WORLD);
    await validateJobSpec({ spec: { ...BASE, lut_id: 'l' }, fs, cwd: '/' });
    expect(calls).toEqual(['/media/a.mov']);
  });
});

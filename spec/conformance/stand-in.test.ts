// The stand-in `ffmpeg` (a real process, for other implementations and our own real-folder suites) and the
// in-process fake transcoder (for the memfs goldens) must act every descriptor out alike: same exit or
// signal, same stderr, same output bytes, no file where FFmpeg writes none. The stand-in duplicates media.ts
// in plain JavaScript, so this is what keeps them in step. Then what only a real process shows: a chunked
// output growing, and the process names a runner may read in /proc.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Volume } from 'memfs';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemFs } from '../harness/mem-fs.ts';
import type { MediaDescriptor } from '../../src/conformance/media.ts';
import { encodeMedia, fakeOutputBytes } from '../../src/conformance/media.ts';
import { waitFor } from '../support/polling.ts';
import { createFakeClock } from '../harness/fake-clock.ts';
import { createFakeTranscoder } from '../harness/fake-transcoder.ts';
import { RunnerKilled } from '../../src/ports.ts';

const STAND_IN = join(import.meta.dirname, '../../src/conformance/stand-in/ffmpeg.mjs');
const MEMORY_ROOT = '/stand-in-check';
const scratch = mkdtempSync(join(tmpdir(), 'stand-in-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Where the command sends its output: the usual `.partial` file, or somewhere FFmpeg writes no file. */
type Sink = 'file' | 'null-muxer' | 'stdout' | 'pipe';

interface Case {
  /** The source file's text; null for a missing source. */
  readonly source: string | null;
  readonly outputExists?: boolean;
  /** Stop the run (timeout in the fake, SIGTERM to the stand-in) once it has started. */
  readonly stop?: boolean;
  readonly sink?: Sink;
}

interface Acted {
  readonly ending: string;
  readonly stderr: string;
  readonly output: string | null;
  /** Files other than the source and the `.partial`: there must be none. */
  readonly stray: string[];
}

const SINKS: Record<Sink, (root: string) => string[]> = {
  file: (root) => ['-f', 'mp4', `${root}/out/clip.mp4.partial`],
  'null-muxer': () => ['-f', 'null', '-'],
  stdout: () => ['-f', 'mp4', '-'],
  pipe: () => ['-f', 'mp4', 'pipe:1'],
};

const argvFor = (ffmpeg: string, root: string, sink: Sink = 'file'): string[] => [
  ffmpeg, '-hide_banner', '-nostdin', '-n', '-i', `file:${root}/clip.mov`, '-c:v', 'libx264', ...SINKS[sink](root),
];

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

async function viaFake(c: Case): Promise<Acted> {
  const vol = new Volume();
  vol.mkdirSync(`${MEMORY_ROOT}/out`, { recursive: true });
  if (c.source !== null) vol.writeFileSync(`${MEMORY_ROOT}/clip.mov`, c.source);
  if (c.outputExists === true) vol.writeFileSync(`${MEMORY_ROOT}/out/clip.mp4.partial`, 'old');
  const clock = createFakeClock();
  let killed = false;
  const transcoder = createFakeTranscoder({
    fs: createMemFs(vol),
    clock,
    ffmpegPath: '/usr/bin/ffmpeg',
    killRunner: (why) => {
      killed = true;
      throw new RunnerKilled(why);
    },
  });
  let ending = 'killed';
  let stderr = '';
  try {
    // A stop is a timeout here: the fake answers it exactly as it answers a runner's stop.
    const outcome = await transcoder.run({ argv: argvFor('/usr/bin/ffmpeg', MEMORY_ROOT, c.sink), timeoutMs: c.stop === true ? 100 : 3_600_000, signal: new AbortController().signal });
    ending = outcome.signal ?? String(outcome.exitCode);
    stderr = outcome.stderrTail;
  } catch (error) {
    if (!killed) throw error;
  }
  const out = `${MEMORY_ROOT}/out/clip.mp4.partial`;
  const output = c.outputExists !== true && vol.existsSync(out) ? hex(new Uint8Array(vol.readFileSync(out) as Buffer)) : null;
  const stray = Object.keys(vol.toJSON()).filter((path) => path !== `${MEMORY_ROOT}/clip.mov` && path !== out && path !== `${MEMORY_ROOT}/out`);
  return { ending, stderr: stderr.replaceAll(MEMORY_ROOT, '{ROOT}'), output, stray: stray.map((path) => path.replace(MEMORY_ROOT, '{ROOT}')) };
}

/** Every file under `dir`, as `{ROOT}/…` paths. */
function filesUnder(dir: string, root: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name).replace(root, '{ROOT}'));
}

async function viaStandIn(c: Case): Promise<Acted> {
  const root = mkdtempSync(join(scratch, 'case-'));
  mkdirSync(join(root, 'out'));
  if (c.source !== null) writeFileSync(join(root, 'clip.mov'), c.source);
  if (c.outputExists === true) writeFileSync(join(root, 'out', 'clip.mp4.partial'), 'old');
  const [, ...args] = argvFor('ffmpeg', root, c.sink);
  const env = { STAND_IN_MAX_SLEEP_MS: c.stop === true ? '30000' : '200' };
  // kill_runner SIGKILLs the parent: under a shell of its own, which would otherwise print "survived".
  const killsParent = /"kill_runner":(true|"after_output")/.test(c.source ?? '');
  const child = killsParent
    ? execa('/bin/sh', ['-c', '"$@"; echo survived', 'sh', process.execPath, STAND_IN, ...args], { reject: false, env, stripFinalNewline: false, cwd: root })
    : execa(process.execPath, [STAND_IN, ...args], { reject: false, env, stripFinalNewline: false, cwd: root });
  let stopped = false;
  child.stderr?.on('data', () => {
    // The stand-in writes its stderr once its signal handlers are in place: stop it then.
    if (c.stop === true && !stopped) {
      stopped = true;
      child.kill('SIGTERM');
    }
  });
  const result = await child;
  const out = join(root, 'out', 'clip.mp4.partial');
  const ending = result.signal === 'SIGKILL' ? 'killed' : (result.signal ?? String(result.exitCode));
  const output = c.outputExists !== true && existsSync(out) ? hex(new Uint8Array(readFileSync(out))) : null;
  const stray = filesUnder(root, root).filter((path) => !['{ROOT}/clip.mov', '{ROOT}/out', '{ROOT}/out/clip.mp4.partial'].includes(path));
  return { ending, stderr: result.stderr.replaceAll(root, '{ROOT}'), output, stray };
}

const media = (d: MediaDescriptor): string => encodeMedia(d);

const CASES: Record<string, Case> = {
  'clean exit, explicit size': { source: media({ exit: 0, output_bytes: 2048 }) },
  'clean exit, default size': { source: media({}) },
  'zero-byte output': { source: media({ exit: 0, output_bytes: 0 }) },
  'no output at all': { source: media({ exit: 0, no_output: true }) },
  'exit 1 with stderr, no file': { source: media({ exit: 1, stderr: 'Conversion failed!\n' }) },
  'exit 1 with a file': { source: media({ exit: 1, output_bytes: 100 }) },
  'stderr filler': { source: media({ stderr: 'first\n', stderr_bytes: 1000 }) },
  'large stderr (tail)': { source: media({ stderr: 'FIRST LINE MUST BE DROPPED\n', stderr_bytes: 100_000 }) },
  'SIGSEGV with a file': { source: media({ signal: 'SIGSEGV', output_bytes: 256, stderr: 'Segmentation fault\n' }) },
  'SIGABRT without a file': { source: media({ signal: 'SIGABRT' }) },
  'kill_runner writes half': { source: media({ kill_runner: true, output_bytes: 4096, duration_ms: 2000 }) },
  'kill_runner, default size': { source: media({ kill_runner: true }) },
  'hang, stopped': { source: media({ hang: true, stderr: 'waiting for input\n' }), stop: true },
  'long run, stopped: half output': { source: media({ output_bytes: 4096, duration_ms: 60_000, stderr: 'working\n' }), stop: true },
  'not a descriptor': { source: 'just some text\n' },
  'unknown descriptor field': { source: 'FAKEMEDIA {"exit": 0, "colour": "red"}\n' },
  'exit out of range': { source: 'FAKEMEDIA {"exit": 300}\n' },
  'missing source': { source: null },
  'output exists (-n)': { source: media({ exit: 0 }), outputExists: true },
  'chunked output, run to the end': { source: media({ output_bytes: 1000, chunks: 7, duration_ms: 140 }) },
  'chunked output, exit 1': { source: media({ exit: 1, output_bytes: 90, chunks: 3, duration_ms: 30 }) },
  'chunked kill_runner: the chunks written half-way': { source: media({ kill_runner: true, output_bytes: 400, chunks: 4, duration_ms: 400 }) },
  'kill_runner after the whole output': { source: media({ kill_runner: 'after_output', output_bytes: 300, duration_ms: 100 }) },
  'kill_runner after_output, nothing to write': { source: media({ kill_runner: 'after_output', exit: 1 }) },
  'a comm name changes nothing but the process name': { source: media({ comm: 'sleep', output_bytes: 10 }) },
  'long comm name is not a descriptor': { source: 'FAKEMEDIA {"comm": "a-name-longer-than-15"}\n' },
  'chunks 0 is not a descriptor': { source: 'FAKEMEDIA {"chunks": 0}\n' },
  '-f null -: nothing written': { source: media({ output_bytes: 100 }), sink: 'null-muxer' },
  'stdout (-): nothing written': { source: media({ exit: 1, output_bytes: 100, stderr: 'x\n' }), sink: 'stdout' },
  'pipe:1: nothing written, no -n check': { source: media({ output_bytes: 100 }), sink: 'pipe', outputExists: true },
};

describe('stand-in ffmpeg agrees with the fake transcoder', () => {
  it.each(Object.entries(CASES))('%s', async (_name, c) => {
    const [fake, standIn] = await Promise.all([viaFake(c), viaStandIn(c)]);
    const tail = (text: string): string => (text.length > 65536 ? text.slice(-65536) : text);
    expect({ ...standIn, stderr: tail(standIn.stderr) }).toEqual(fake);
  });
});

describe('what only real processes show', () => {
  const hexOf = (bytes: number): string => hex(fakeOutputBytes(bytes));

  it('a stopped chunked run keeps the chunks it wrote, in both', async () => {
    const source = media({ output_bytes: 6000, chunks: 600, duration_ms: 60_000 });
    // A chunk of 10 bytes every 100 ms: the fake, stopped at its 100 ms timeout, has written one.
    expect(await viaFake({ source, stop: true })).toMatchObject({ ending: '255', output: hexOf(10) });

    const root = mkdtempSync(join(scratch, 'chunks-'));
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'clip.mov'), source);
    const partial = join(root, 'out', 'clip.mp4.partial');
    const [, ...args] = argvFor('ffmpeg', root);
    const child = execa(process.execPath, [STAND_IN, ...args], { reject: false, env: { STAND_IN_MAX_SLEEP_MS: '60000' } });
    await waitFor('the output to grow', () => (existsSync(partial) && statSync(partial).size >= 30 ? true : null));
    child.kill('SIGTERM');
    const done = await child;
    const bytes = readFileSync(partial);
    expect(done.exitCode).toBe(255);
    expect(bytes.length % 10).toBe(0);
    expect(bytes.length).toBeGreaterThanOrEqual(30);
    expect(bytes.length).toBeLessThan(6000);
    expect(hex(new Uint8Array(bytes))).toBe(hexOf(bytes.length));
  }, 30_000);

  it('the process is named ffmpeg (comm and argv[0]); `comm` renames only comm', async () => {
    const root = mkdtempSync(join(scratch, 'names-'));
    const namesWhileHanging = async (descriptor: MediaDescriptor): Promise<{ comm: string; argv0: string }> => {
      writeFileSync(join(root, 'clip.mov'), media(descriptor));
      const child = execa(process.execPath, [STAND_IN, '-i', join(root, 'clip.mov'), join(root, 'out.mp4')], { reject: false });
      // The descriptor's stderr comes once the names are set.
      await new Promise((resolve) => child.stderr?.once('data', resolve));
      const names = {
        comm: readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim(),
        argv0: readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0')[0] ?? '',
      };
      child.kill('SIGTERM');
      expect((await child).exitCode).toBe(255);
      return names;
    };
    expect(await namesWhileHanging({ hang: true, stderr: 'waiting\n' })).toEqual({ comm: 'ffmpeg', argv0: 'ffmpeg' });
    expect(await namesWhileHanging({ hang: true, stderr: 'waiting\n', comm: 'sleep' })).toEqual({ comm: 'sleep', argv0: 'ffmpeg' });
  }, 30_000);
});

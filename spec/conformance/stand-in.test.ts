// The stand-in `ffmpeg` (a real process, for other implementations) and the in-process fake transcoder
// (for the memfs goldens) must act every descriptor out alike: same exit or signal, same stderr, same
// output bytes. The stand-in duplicates media.ts in plain JavaScript, so this is what keeps them in step.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Volume } from 'memfs';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemFs } from '../harness/mem-fs.ts';
import type { MediaDescriptor } from '../../src/conformance/media.ts';
import { encodeMedia } from '../../src/conformance/media.ts';
import { createFakeClock } from '../harness/fake-clock.ts';
import { createFakeTranscoder } from '../harness/fake-transcoder.ts';
import { RunnerKilled } from '../../src/ports.ts';

const STAND_IN = join(import.meta.dirname, '../../src/conformance/stand-in/ffmpeg.mjs');
const MEMORY_ROOT = '/stand-in-check';
const scratch = mkdtempSync(join(tmpdir(), 'stand-in-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Case {
  /** The source file's text; null for a missing source. */
  readonly source: string | null;
  readonly outputExists?: boolean;
  /** Stop the run (timeout in the fake, SIGTERM to the stand-in) once it has started. */
  readonly stop?: boolean;
}

interface Acted {
  readonly ending: string;
  readonly stderr: string;
  readonly output: string | null;
}

const argvFor = (ffmpeg: string, root: string): string[] => [
  ffmpeg, '-hide_banner', '-nostdin', '-n', '-i', `file:${root}/clip.mov`, '-c:v', 'libx264', '-f', 'mp4', `${root}/out/clip.mp4.partial`,
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
    const outcome = await transcoder.run({ argv: argvFor('/usr/bin/ffmpeg', MEMORY_ROOT), timeoutMs: c.stop === true ? 100 : 3_600_000, signal: new AbortController().signal });
    ending = outcome.signal ?? String(outcome.exitCode);
    stderr = outcome.stderrTail;
  } catch (error) {
    if (!killed) throw error;
  }
  const out = `${MEMORY_ROOT}/out/clip.mp4.partial`;
  const output = c.outputExists !== true && vol.existsSync(out) ? hex(new Uint8Array(vol.readFileSync(out) as Buffer)) : null;
  return { ending, stderr: stderr.replaceAll(MEMORY_ROOT, '{ROOT}'), output };
}

async function viaStandIn(c: Case): Promise<Acted> {
  const root = mkdtempSync(join(scratch, 'case-'));
  mkdirSync(join(root, 'out'));
  if (c.source !== null) writeFileSync(join(root, 'clip.mov'), c.source);
  if (c.outputExists === true) writeFileSync(join(root, 'out', 'clip.mp4.partial'), 'old');
  const [, ...args] = argvFor('ffmpeg', root);
  const env = { STAND_IN_MAX_SLEEP_MS: c.stop === true ? '30000' : '200' };
  // kill_runner SIGKILLs the parent: under a shell of its own, which would otherwise print "survived".
  const killsParent = c.source?.includes('"kill_runner":true') === true;
  const child = killsParent
    ? execa('/bin/sh', ['-c', '"$@"; echo survived', 'sh', process.execPath, STAND_IN, ...args], { reject: false, env, stripFinalNewline: false })
    : execa(process.execPath, [STAND_IN, ...args], { reject: false, env, stripFinalNewline: false });
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
  return { ending, stderr: result.stderr.replaceAll(root, '{ROOT}'), output };
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
};

describe('stand-in ffmpeg agrees with the fake transcoder', () => {
  it.each(Object.entries(CASES))('%s', async (_name, c) => {
    const [fake, standIn] = await Promise.all([viaFake(c), viaStandIn(c)]);
    const tail = (text: string): string => (text.length > 65536 ? text.slice(-65536) : text);
    expect({ ...standIn, stderr: tail(standIn.stderr) }).toEqual(fake);
  }, 30_000);
});

// The real transcoder against a stand-in `ffmpeg` shell script (real FFmpeg may not be installed, and the
// point here is process handling, not transcoding).
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFfmpegTranscoder } from '../../../src/adapters/ffmpeg.ts';
import type { TranscodeRequest } from '../../../src/ports.ts';
import { isAlive } from '../../support/polling.ts';

const STAND_IN = `#!/bin/sh
case "$1" in
  fail) echo "Invalid data found when processing input" >&2; exit 3 ;;
  noisy) head -c 5242880 /dev/zero | tr '\\0' x >&2; echo END >&2; exit 0 ;;
  hang) exec sleep 30 ;;
  graceful) trap 'echo finalising >&2; exit 255' TERM; while :; do sleep 0.05; done ;;
  *) exit 0 ;;
esac
`;

let root: string;
let binDir: string;
let ffmpeg: string;

beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'ffmpeg-adapter-'));
  binDir = path.join(root, 'bin');
  await fsp.mkdir(binDir);
  ffmpeg = path.join(binDir, 'ffmpeg');
  await fsp.writeFile(ffmpeg, STAND_IN, { mode: 0o755 });
});

afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

/** A request for the stand-in; records the pids onSpawn saw. */
function request(args: string[], overrides: Partial<TranscodeRequest> = {}): TranscodeRequest & { pids: number[] } {
  const pids: number[] = [];
  return {
    argv: [ffmpeg, ...args],
    timeoutMs: 10_000,
    signal: new AbortController().signal,
    onSpawn: async (pid) => {
      pids.push(pid);
    },
    ...overrides,
    pids,
  };
}

describe('locate', () => {
  it('finds an executable regular file named ffmpeg on PATH', async () => {
    const t = createFfmpegTranscoder({ pathEnv: ['/nonexistent', binDir].join(path.delimiter) });
    expect(await t.locate()).toBe(ffmpeg);
  });

  it('returns null for an empty or missing PATH', async () => {
    expect(await createFfmpegTranscoder({ pathEnv: '' }).locate()).toBeNull();
    expect(await createFfmpegTranscoder({ pathEnv: undefined }).locate()).toBeNull();
  });

  it('skips a non-executable file, a directory named ffmpeg, and relative PATH entries', async () => {
    const plain = path.join(root, 'plain');
    const dirOne = path.join(root, 'dir');
    await fsp.mkdir(plain);
    await fsp.mkdir(path.join(dirOne, 'ffmpeg'), { recursive: true });
    await fsp.writeFile(path.join(plain, 'ffmpeg'), STAND_IN, { mode: 0o644 });
    const relative = path.relative(process.cwd(), binDir);
    expect(await createFfmpegTranscoder({ pathEnv: [plain, dirOne, relative].join(path.delimiter) }).locate()).toBeNull();
    expect(await createFfmpegTranscoder({ pathEnv: [plain, dirOne, binDir].join(path.delimiter) }).locate()).toBe(ffmpeg);
  });
});

describe('run', () => {
  it('reports a non-zero exit with its stderr, after calling onSpawn once', async () => {
    const req = request(['fail']);
    const outcome = await createFfmpegTranscoder({ pathEnv: '' }).run(req);
    expect(outcome).toMatchObject({ exitCode: 3, signal: null, timedOut: false });
    expect(outcome.stderrTail).toContain('Invalid data found when processing input');
    expect(req.pids).toHaveLength(1);
    expect(req.pids[0]).toBeGreaterThan(0);
  });

  it('keeps only a 64 KiB tail of 5 MB of stderr and still reports success', async () => {
    const outcome = await createFfmpegTranscoder({ pathEnv: '' }).run(request(['noisy']));
    expect(outcome).toMatchObject({ exitCode: 0, signal: null, timedOut: false });
    expect(Buffer.byteLength(outcome.stderrTail)).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.byteLength(outcome.stderrTail)).toBeGreaterThan(60 * 1024);
    expect(outcome.stderrTail.endsWith('xxxEND\n')).toBe(true);
  });

  it('kills a hanging child at the timeout (SIGTERM) and says so', async () => {
    const req = request(['hang'], { timeoutMs: 300 });
    // Left alone the child would exit 0 after 30 s; the outcome says it was stopped at the timeout.
    const outcome = await createFfmpegTranscoder({ pathEnv: '' }).run(req);
    expect(outcome).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: true });
    const pid = req.pids[0];
    expect(pid).toBeDefined();
    if (pid !== undefined) expect(isAlive(pid)).toBe(false);
  });

  it('reports the exit code, not a signal, when the child handles SIGTERM itself (as FFmpeg does: 255)', async () => {
    // The timeout leaves the shell time to set its trap even on a loaded machine: a SIGTERM before that
    // would kill the shell itself, which is not what this case is about.
    const outcome = await createFfmpegTranscoder({ pathEnv: '' }).run(request(['graceful'], { timeoutMs: 2000 }));
    expect(outcome).toMatchObject({ exitCode: 255, signal: null, timedOut: true });
    expect(outcome.stderrTail).toContain('finalising');
  });

  it('terminates the child with SIGTERM when the signal aborts', async () => {
    const controller = new AbortController();
    const req = request(['hang'], {
      signal: controller.signal,
      onSpawn: async () => {
        setTimeout(() => controller.abort(), 100);
      },
    });
    const outcome = await createFfmpegTranscoder({ pathEnv: '' }).run(req);
    expect(outcome).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: false });
  });

  it('starts nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const req = request(['fail'], { signal: controller.signal });
    const outcome = await createFfmpegTranscoder({ pathEnv: '' }).run(req);
    expect(outcome).toMatchObject({ exitCode: null, signal: null, timedOut: false });
    expect(req.pids).toHaveLength(0);
  });

  it('turns a spawn failure into an outcome carrying the reason, without calling onSpawn', async () => {
    const req = request([]);
    const outcome = await createFfmpegTranscoder({ pathEnv: '' }).run({ ...req, argv: [path.join(root, 'no-such-ffmpeg'), '-version'] });
    expect(outcome).toMatchObject({ exitCode: null, signal: null, timedOut: false });
    expect(outcome.stderrTail).toContain('ENOENT');
    expect(req.pids).toHaveLength(0);
  });

  it('turns arguments the OS cannot take (a NUL byte) into an outcome, not a throw', async () => {
    const outcome = await createFfmpegTranscoder({ pathEnv: '' }).run(request(['fail', 'a\0b']));
    expect(outcome).toMatchObject({ exitCode: null, signal: null, timedOut: false });
    expect(outcome.stderrTail).not.toBe('');
  });

  it('kills the child and rethrows when onSpawn fails (the pid could not be recorded)', async () => {
    let seen: number | undefined;
    const failure = new Error('lock file write failed');
    const run = createFfmpegTranscoder({ pathEnv: '' }).run({
      argv: [ffmpeg, 'hang'],
      timeoutMs: 10_000,
      signal: new AbortController().signal,
      onSpawn: async (pid) => {
        seen = pid;
        throw failure;
      },
    });
    await expect(run).rejects.toBe(failure);
    expect(seen).toBeDefined();
    if (seen !== undefined) expect(isAlive(seen)).toBe(false);
  });

  it('refuses a timeout Node timers cannot honour', async () => {
    const t = createFfmpegTranscoder({ pathEnv: '' });
    await expect(t.run(request(['fail'], { timeoutMs: 0 }))).rejects.toThrow(RangeError);
    await expect(t.run(request(['fail'], { timeoutMs: 2 ** 31 }))).rejects.toThrow(RangeError);
  });
});

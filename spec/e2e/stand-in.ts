// The sandbox of the suites that run our CLI on a real folder (spec/e2e, spec/realfs): a temporary root with
// watch/, media/, out/ and a bin/ holding the one stand-in `ffmpeg` and `ffprobe` of the conformance suite
// (src/conformance/stand-in, installed by stand-in-bin.ts), first on PATH. Media files are descriptors
// (spec/stand-ins.md), so these suites speak the same language as every scenario. Also the CLI run from
// the sources in such a sandbox, and the wait for a line it prints.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import type { ResultPromise } from 'execa';
import { encodeMedia } from '../../src/conformance/media.ts';
import { installStandInBin } from '../../src/conformance/stand-in-bin.ts';

/**
 * Here the stand-in sleeps a descriptor's `duration_ms` for real (up to this): these suites stop and kill
 * runners mid-clip. Media that should be quick say `duration_ms: 0`. Media the runner must stop (slow,
 * stream, hang) last this long: far longer than any test, however loaded the machine, so a test that
 * expects the runner to stop one never sees it end by itself.
 */
const REAL_SLEEP_MS = 600_000;

/**
 * The media these suites use, as file contents:
 * - ok: an output of 1024 bytes at once, exit 0.
 * - fail: "stand-in: cannot decode" on stderr, exit 1, no output.
 * - truncate: 10 bytes of output, an error on stderr, exit 1 (the runner keeps the `.partial`).
 * - slow: a clean run that takes 10 minutes (a stop signal ends it: half the output, exit 255).
 * - stream: the output grows by 10 bytes every 50 ms for 10 minutes, until the process is stopped or killed.
 * - hang: never finishes, writes nothing, and shows `sleep` in /proc/<pid>/comm (argv[0] stays `ffmpeg`):
 *   a runner must recognise its FFmpeg by argv[0] too.
 * - delay: an output of 1024 bytes after one second.
 * - wait: an output of 1024 bytes once the test creates `<source>.go` (the clip is known to be running until then).
 * - killRunner: writes its whole output, SIGKILLs its parent (the runner), then exits 0: a crash after
 *   FFmpeg finished and before the runner saw it.
 */
export const MEDIA = {
  ok: encodeMedia({ duration_ms: 0 }),
  fail: encodeMedia({ exit: 1, stderr: 'stand-in: cannot decode\n', duration_ms: 0 }),
  truncate: encodeMedia({ exit: 1, output_bytes: 10, stderr: 'stand-in: error while decoding\n', duration_ms: 0 }),
  slow: encodeMedia({ duration_ms: REAL_SLEEP_MS }),
  stream: encodeMedia({ output_bytes: 120_000, chunks: 12_000, duration_ms: REAL_SLEEP_MS }),
  hang: encodeMedia({ hang: true, comm: 'sleep' }),
  delay: encodeMedia({ duration_ms: 1000 }),
  wait: encodeMedia({ wait_for_go: true, duration_ms: 0 }),
  killRunner: encodeMedia({ kill_runner: 'after_output', duration_ms: 0 }),
} as const;

/** The bytes of a MEDIA.ok (or MEDIA.delay) output. */
export const OK_OUTPUT_BYTES = 1024;

export interface Sandbox {
  readonly root: string;
  readonly watch: string;
  readonly media: string;
  readonly out: string;
  /** Where the stand-in ffmpeg and ffprobe are. */
  readonly bin: string;
  /** PATH with the stand-ins first. */
  readonly path: string;
  cleanup(): void;
}

export function makeSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'runner-e2e-'));
  const bin = installStandInBin({ dir: join(root, 'bin'), nodePath: process.execPath, maxSleepMs: REAL_SLEEP_MS });
  const sandbox: Sandbox = {
    root,
    watch: join(root, 'watch'),
    media: join(root, 'media'),
    out: join(root, 'out'),
    bin,
    path: `${bin}:${process.env.PATH ?? ''}`,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const dir of [sandbox.watch, sandbox.media, sandbox.out]) mkdirSync(dir, { recursive: true });
  return sandbox;
}

export function jobSpec(sandbox: Sandbox, sources: string[], extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify(
    {
      jobspec_version: '2.1',
      sources: sources.map((s) => join(sandbox.media, s)),
      output_directory: sandbox.out,
      codec: 'prores_proxy',
      container: 'mov',
      resolution: 'same',
      naming_template: '{source_name}_proxy',
      proxy_profile: 'proxy_prores_proxy',
      ...extra,
    },
    null,
    2,
  )}\n`;
}

const CLI = join(import.meta.dirname, '../../src/cli.ts');
/** tsx resolved from this repository, so the CLI can run with any working directory. */
const TSX = import.meta.resolve('tsx');

/** The CLI from the sources, as an operator runs it, in the sandbox: the stand-ins on PATH, UTC. */
export function cli(sandbox: Sandbox, args: readonly string[]) {
  return execa(process.execPath, ['--import', TSX, CLI, ...args], { reject: false, env: { PATH: sandbox.path, TZ: 'UTC' }, cwd: sandbox.root });
}

/** The same, run to its end before returning (for a command that answers, such as `status`). */
export function cliSync(sandbox: Sandbox, args: readonly string[]) {
  return execaSync(process.execPath, ['--import', TSX, CLI, ...args], { reject: false, env: { PATH: sandbox.path, TZ: 'UTC' }, cwd: sandbox.root });
}

/** Resolves with the first stdout line of `child` that contains `text`; rejects when it exits first. */
export function lineWith(child: ResultPromise, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => l.includes(text));
      if (line !== undefined) resolve(line);
    });
    child.once('exit', () => reject(new Error(`exited before printing '${text}': ${seen}`)));
  });
}

// The real Transcoder: finds `ffmpeg` on PATH and runs one FFmpeg child per clip through execa, with the
// argv passed as an array (never a shell), stdin/stdout closed, and only a bounded tail of stderr kept.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { TranscodeOutcome, TranscodeRequest, Transcoder } from '../ports.ts';
import { createProgressReader } from './ffmpeg-progress.ts';
import type { ExecaEnd } from './process-end.ts';
import { processEnd } from './process-end.ts';
import { createTailBuffer } from './stderr-tail.ts';

/** contract §9: the result keeps the last 64 KiB of stderr. */
export const STDERR_TAIL_BYTES = 64 * 1024;
/** contract §11: SIGTERM first, SIGKILL if FFmpeg is still there 5 s later. */
export const FORCE_KILL_AFTER_MS = 5000;
/** Node timers (and so execa's timeout) fire after 1 ms for anything larger: refuse it instead. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface FfmpegTranscoderOptions {
  /** The PATH to search (process.env.PATH in production), injected so tests control it. */
  readonly pathEnv: string | undefined;
}

export function createFfmpegTranscoder({ pathEnv }: FfmpegTranscoderOptions): Transcoder {
  return {
    locate: () => locateOnPath(pathEnv, 'ffmpeg'),
    run: runFfmpeg,
  };
}

/**
 * The first `<dir>/<name>` on PATH that is an executable regular file (following symlinks, as exec does).
 * Empty and relative entries are skipped: they mean "the current directory", and an `ffmpeg` planted in
 * whatever directory the runner was started from must never be run.
 */
export async function locateOnPath(pathEnv: string | undefined, name: string): Promise<string | null> {
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    try {
      if (!(await stat(candidate)).isFile()) continue;
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Missing, unreadable or not executable: keep looking, like a shell would.
    }
  }
  return null;
}

async function runFfmpeg(request: TranscodeRequest): Promise<TranscodeOutcome> {
  const { argv, timeoutMs, signal, onSpawn, onProgress } = request;
  // A bad timeout is a bug in the caller, not a failed process: execa would treat 0 as "no timeout" and
  // Node would fire an oversized one at once.
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new RangeError(`timeoutMs must be an integer in 1..${MAX_TIMEOUT_MS}, got ${timeoutMs}`);
  }
  const [file, ...args] = argv;
  if (file === undefined) return notStarted('empty argv');
  // execa would spawn and then kill at once; after a stop request no FFmpeg should start at all.
  if (signal.aborted) return notStarted('not started: the runner is stopping');

  const tail = createTailBuffer(STDERR_TAIL_BYTES);
  let subprocess;
  try {
    subprocess = execa(file, args, {
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      // No buffering by execa (its maxBuffer would fail a successful run with a big stderr and not even
      // kill the child): the tail below is the only copy kept.
      buffer: false,
      reject: false,
      timeout: timeoutMs,
      cancelSignal: signal,
      killSignal: 'SIGTERM',
      forceKillAfterDelay: FORCE_KILL_AFTER_MS,
      // Kill the child if the runner's own process exits normally or by a handled signal.
      cleanup: true,
    });
  } catch (error) {
    // execa throws synchronously for arguments the OS cannot take (a NUL byte, say).
    return notStarted(messageOf(error));
  }
  const progress = onProgress === undefined ? null : createProgressReader(onProgress);
  const decoder = new TextDecoder();
  subprocess.stderr.on('data', (chunk: Uint8Array | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    tail.push(bytes);
    progress?.push(decoder.decode(bytes, { stream: true }));
  });
  // Map the result now so the promise is handled even while onSpawn is still pending.
  const outcome = subprocess.then(
    (result) => toOutcome(result, tail.text()),
    (error: unknown) => notStarted(messageOf(error)),
  );

  // pid is undefined when the spawn failed (ENOENT, EACCES): there is no child to record then.
  const pid = subprocess.pid;
  if (pid !== undefined && onSpawn !== undefined) {
    try {
      await onSpawn(pid);
    } catch (error) {
      // The pid could not be recorded, so a crash now would leave an orphan nobody can find: stop the
      // child before reporting the failure.
      subprocess.kill('SIGTERM');
      await outcome;
      throw error;
    }
  }
  return outcome;
}

function toOutcome(result: ExecaEnd, stderrTail: string): TranscodeOutcome {
  const end = processEnd(result, 'FFmpeg could not be started');
  // A run that never started says why where stderr would be.
  if (!end.started) return notStarted(stderrTail === '' ? end.why : `${stderrTail}\n${end.why}`);
  return { exitCode: end.exitCode, signal: end.signal, timedOut: end.timedOut, stderrTail };
}

function notStarted(why: string): TranscodeOutcome {
  return { exitCode: null, signal: null, timedOut: false, stderrTail: why };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

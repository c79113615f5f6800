// How a child process run through execa (with reject: false) ended, read the same way for FFmpeg
// (ffmpeg.ts) and for the --on-filed program (hook-runner.ts): it never started, or it exited, or a signal
// or the time limit ended it. A process a signal ended has no exit code, as both ports promise.

/** The fields of execa's result (or error, with reject: false) an end is made of. */
export interface ExecaEnd {
  readonly exitCode?: number | undefined;
  readonly signal?: string | undefined;
  readonly timedOut: boolean;
  readonly originalMessage?: string | undefined;
  readonly shortMessage?: string | undefined;
}

export type ProcessEnd =
  | { readonly started: false; readonly why: string }
  | { readonly started: true; readonly exitCode: number | null; readonly signal: string | null; readonly timedOut: boolean };

/** `fallback` says why it never started when execa does not. */
export function processEnd(result: ExecaEnd, fallback: string): ProcessEnd {
  const exitCode = result.exitCode ?? null;
  const signal = result.signal ?? null;
  // Neither an exit nor a signal: the process never ran (the spawn failed: ENOENT, EACCES).
  if (exitCode === null && signal === null && !result.timedOut) return { started: false, why: result.originalMessage ?? result.shortMessage ?? fallback };
  return { started: true, exitCode: signal === null ? exitCode : null, signal, timedOut: result.timedOut };
}

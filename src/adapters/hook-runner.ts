// The real HookRunner: runs the operator's `--on-filed` program through execa, directly (no shell, so a
// result path with spaces or quotes reaches it as one argument), with stdin and stdout closed, a bounded
// tail of its stderr kept, and SIGTERM then SIGKILL when it outlives its time limit.

import { execa } from 'execa';
import type { HookOutcome, HookRequest, HookRunner } from '../ports.ts';
import { processEnd } from './process-end.ts';
import { createTailBuffer } from './stderr-tail.ts';

const HOOK_STDERR_BYTES = 8 * 1024;
const HOOK_FORCE_KILL_AFTER_MS = 2000;

export interface HookRunnerOptions {
  /** The runner's own environment (process.env in production), injected so tests control it. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function createHookRunner({ env }: HookRunnerOptions): HookRunner {
  return {
    async run(request: HookRequest): Promise<HookOutcome> {
      const tail = createTailBuffer(HOOK_STDERR_BYTES);
      let subprocess;
      try {
        subprocess = execa(request.program, [...request.args], {
          env: { ...env, ...request.env },
          extendEnv: false,
          stdin: 'ignore',
          stdout: 'ignore',
          stderr: 'pipe',
          buffer: false,
          reject: false,
          timeout: request.timeoutMs,
          killSignal: 'SIGTERM',
          forceKillAfterDelay: HOOK_FORCE_KILL_AFTER_MS,
          cleanup: true,
        });
      } catch (error) {
        return { exitCode: null, signal: null, timedOut: false, stderrTail: '', startFailure: error instanceof Error ? error.message : String(error) };
      }
      subprocess.stderr.on('data', (chunk: Uint8Array | string) => tail.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
      const end = processEnd(await subprocess, 'the program could not be started');
      if (!end.started) return { exitCode: null, signal: null, timedOut: false, stderrTail: tail.text(), startFailure: end.why };
      return { exitCode: end.exitCode, signal: end.signal, timedOut: end.timedOut, stderrTail: tail.text(), startFailure: null };
    },
  };
}

// Runs one command line of the implementation under test through /bin/sh, in its own process group, and
// reports how it ended: an exit code, "killed" (SIGKILL, which is what `kill_runner` does to a runner),
// another signal, or "timeout". Whatever it leaves behind in its group is killed afterwards.

import { spawn } from 'node:child_process';

export type ExternalExit = number | 'killed' | 'timeout' | `signal ${string}`;

export interface CommandRun {
  readonly exit: ExternalExit;
  /** The last few KiB of each stream, for the report. */
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface CommandOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number;
  /** SIGKILLs a process group (injected: only CLI entry files touch `process`); must ignore ESRCH. */
  readonly killGroup: (pgid: number) => void;
}

const LOG_TAIL = 8 * 1024;
/** What sh reports when the command it ran (without exec) died by SIGKILL: 128 + 9. */
const SH_KILLED = 137;

function exitOf(code: number | null, signal: NodeJS.Signals | null, timedOut: boolean): ExternalExit {
  if (timedOut) return 'timeout';
  if (signal === 'SIGKILL' || code === SH_KILLED) return 'killed';
  if (signal !== null) return `signal ${signal}`;
  return code ?? 'killed';
}

export function runCommand(command: string, options: CommandOptions): Promise<CommandRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout = (stdout + chunk.toString('utf8')).slice(-LOG_TAIL);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-LOG_TAIL);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) options.killGroup(child.pid);
    }, options.timeoutMs);
    const finish = (exit: ExternalExit, why = ''): void => {
      clearTimeout(timer);
      // A runner must not leave an FFmpeg behind, and a dying stand-in must not outlive the step.
      if (child.pid !== undefined) options.killGroup(child.pid);
      resolve({ exit, stdout, stderr: why === '' ? stderr : `${stderr}${why}\n`, durationMs: Date.now() - started });
    };
    child.once('error', (error) => finish(-1, `cannot start /bin/sh: ${error.message}`));
    child.once('exit', (code, signal) => finish(exitOf(code, signal, timedOut)));
  });
}

// The operator's `--on-filed` program, run after each job is filed (a notification, a copy to a MAM, a
// webhook through curl in a script). It is told the job's outcome, never changes it: whatever the program
// does, exits with or how long it hangs (it is killed after --hook-timeout-seconds), the job stays filed as
// it is and the runner goes on. Its end is logged with its exit code and the tail of its stderr.

import type { Deps } from '../ports.ts';
import { oneLine } from '../log.ts';
import type { FinalStatus } from '../result.ts';
import type { SettledNames } from './settle.ts';
import { settledPaths } from './settle.ts';

export interface HookContext {
  readonly program: string;
  readonly timeoutMs: number;
}

export interface FiledJob {
  /** The JobSpec's name in pending/ (and running/). */
  readonly name: string;
  readonly jobId: string;
  readonly status: FinalStatus;
  readonly reason: string | null;
  readonly settled: SettledNames;
}

/** What the program finds in its environment, besides the runner's own. */
export const HOOK_ENV = {
  status: 'RUNNER_STATUS',
  jobId: 'RUNNER_JOB_ID',
  jobspec: 'RUNNER_JOBSPEC_PATH',
  result: 'RUNNER_RESULT_PATH',
  name: 'RUNNER_JOB_NAME',
} as const;

/** How much of the program's stderr the log line keeps. */
const LOGGED_STDERR_CHARS = 500;

export async function runFiledHook(deps: Deps, hook: HookContext, filed: FiledJob): Promise<void> {
  const { jobspec, result } = settledPaths(filed.settled);
  const outcome = await deps.hooks.run({
    program: hook.program,
    args: [result],
    env: {
      [HOOK_ENV.status]: filed.status,
      [HOOK_ENV.jobId]: filed.jobId,
      // Empty when the JobSpec left running/ during the job and was not found again.
      [HOOK_ENV.jobspec]: jobspec ?? '',
      [HOOK_ENV.result]: result,
      [HOOK_ENV.name]: filed.name,
    },
    timeoutMs: hook.timeoutMs,
  });
  const tail = oneLine(outcome.stderrTail, ' | ').slice(-LOGGED_STDERR_CHARS);
  const fields = { job: filed.name, command: hook.program, exit_code: outcome.exitCode, signal: outcome.signal, timed_out: outcome.timedOut, stderr_tail: tail };
  const said = tail === '' ? '' : `; stderr: ${tail}`;
  if (outcome.startFailure !== null) {
    deps.log.event('hook-failed', `Hook ${hook.program} for ${filed.name} could not be started: ${oneLine(outcome.startFailure)}`, fields);
  } else if (outcome.timedOut) {
    deps.log.event('hook-failed', `Hook ${hook.program} for ${filed.name} was killed after ${hook.timeoutMs / 1000} s${said}`, fields);
  } else if (outcome.exitCode !== 0) {
    const how = outcome.exitCode === null ? `was killed by ${outcome.signal ?? 'a signal'}` : `exited with code ${outcome.exitCode}`;
    deps.log.event('hook-failed', `Hook ${hook.program} for ${filed.name} ${how}${said}`, fields);
  } else {
    deps.log.event('hook', `Hook ${hook.program} for ${filed.name} exited with code 0${said}`, fields);
  }
}

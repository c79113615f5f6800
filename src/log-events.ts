// Every event the runner logs, declared once: its level, its fields and what it means. The log
// (log.ts) takes the level from here, and the README's table of `--log-format json` events is written
// from here (scripts/write-cli-reference.ts), so the documented names cannot drift from the emitted ones.

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogEventDeclaration {
  readonly level: LogLevel;
  /** The fields a JSON line carries beside `time`, `level`, `event` and `message`. */
  readonly fields: readonly string[];
  readonly about: string;
}

export const LOG_EVENTS = {
  start: { level: 'info', fields: ['version', 'folder', 'mode', 'pid', 'host'], about: 'The runner holds the lock and starts; `mode` is `once` or `continuous`.' },
  'orphan-stopped': { level: 'info', fields: ['pid', 'killed'], about: "A dead runner's FFmpeg child was terminated (`killed`: it needed SIGKILL)." },
  'taken-over': {
    level: 'warn',
    fields: ['runner'],
    about: 'With --shared: the jobs of another runner whose lease expired were taken over; a `recovered` line follows for each.',
  },
  'lease-lost': {
    level: 'error',
    fields: [],
    about: 'With --shared: this runner found its jobs taken over by another (its lease went unrenewed) and stops without filing more.',
  },
  recovered: { level: 'info', fields: ['job', 'status', 'reason', 'jobspec', 'result'], about: 'A job a previous runner left in `running/` was filed (one line per job).' },
  claim: { level: 'info', fields: ['job'], about: 'A JobSpec was moved from `pending/` to `running/`.' },
  'clip-start': { level: 'info', fields: ['job', 'job_id', 'clip', 'clips', 'source', 'output'], about: 'FFmpeg is about to run for clip `clip` of `clips` (from 1).' },
  progress: {
    level: 'info',
    fields: ['job', 'job_id', 'clip', 'clips', 'done_seconds', 'total_seconds', 'percent', 'speed', 'elapsed_seconds'],
    about: 'How far the running FFmpeg is, as it reports it; `total_seconds`, `percent` and `speed` are null until it says.',
  },
  'clip-end': { level: 'info', fields: ['job', 'job_id', 'clip', 'clips', 'status', 'reason', 'exit_code', 'output', 'output_size_bytes'], about: 'A clip ended: `status` COMPLETED or FAILED with its reason.' },
  filed: { level: 'info', fields: ['job', 'job_id', 'status', 'reason', 'jobspec', 'result'], about: 'A job was filed; `jobspec` is null when the JobSpec left `running/` during the job.' },
  waiting: { level: 'info', fields: ['job', 'reason'], about: 'A JobSpec stays in `pending/` for now (said once per change of the file).' },
  skipped: { level: 'warn', fields: ['job', 'reason'], about: 'A JobSpec could not be claimed and stays in `pending/` (said once per change of the file).' },
  scan: { level: 'info', fields: ['completed', 'failed', 'partial', 'waiting'], about: 'A scan that found something to report ended (`--once`: always).' },
  hook: { level: 'info', fields: ['job', 'command', 'exit_code', 'signal', 'timed_out', 'stderr_tail'], about: 'The `--on-filed` program ended with exit code 0.' },
  'hook-failed': { level: 'warn', fields: ['job', 'command', 'exit_code', 'signal', 'timed_out', 'stderr_tail'], about: 'The `--on-filed` program failed, timed out or could not start; the job and the runner are not affected.' },
  'file-moved': { level: 'warn', fields: ['job', 'result'], about: 'The JobSpec was moved or deleted while its job ran; says where the result went.' },
  'folder-recreated': { level: 'warn', fields: ['folder'], about: 'A state folder was removed while the runner worked and was created again.' },
  stop: {
    level: 'warn',
    fields: ['signal', 'job', 'running_jobs'],
    about: 'A stop was asked for; `job` is the job being interrupted (the first claimed, with --max-workers), or null; `running_jobs` how many are.',
  },
  'usage-error': { level: 'error', fields: [], about: 'The command line was wrong (exit 2).' },
  'startup-error': { level: 'error', fields: [], about: 'The folder or its lock cannot be used (exit 2, 3 or 70).' },
  'disk-error': { level: 'error', fields: ['code'], about: 'A filesystem operation failed with a disk error: nothing more is claimed (exit 70).' },
  'internal-error': { level: 'error', fields: [], about: 'A bug (exit 70).' },
} as const satisfies Record<string, LogEventDeclaration>;

export type LogEventName = keyof typeof LOG_EVENTS;

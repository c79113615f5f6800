// Everything the runner does with a JobSpec file before FFmpeg may start, in its fixed order: read it
// (read-jobspec.ts), parse it (jobspec/parse.ts), validate and plan it (plan.ts). The runner's job and the
// `validate` command both come through here, so they check the same things in the same order and fail
// with the same reason text.

import type { Deps, FileStat } from '../ports.ts';
import { parseJobSpec } from '../jobspec/parse.ts';
import type { OutputsInFlight } from './outputs-in-flight.ts';
import type { JobPlan, PlanFailure } from './plan.ts';
import { planJob } from './plan.ts';
import { readJobSpecFile } from './read-jobspec.ts';

export interface PreparedJob {
  /** The JobSpec's job_id, its default from the bytes, or `unknown` when it could not be read. */
  readonly jobId: string;
  /** The file's lstat when it was read (to find it again if it moves), or null. */
  readonly entry: FileStat | null;
  readonly outcome: { readonly ok: true; readonly plan: JobPlan } | { readonly ok: false; readonly failure: PlanFailure };
}

export interface PrepareOptions {
  /** When the job starts: the instant `{date}` and `{time}` name. */
  readonly startedMs: number;
  /** Whether to probe how the output volume publishes (it writes two probe files); `validate` does not. */
  readonly probe: boolean;
  /** The outputs other jobs in flight will write (plan.ts). */
  readonly inFlight?: OutputsInFlight;
}

function preJob(reason: string): PreparedJob['outcome'] {
  return { ok: false, failure: { reason, stage: 'pre-job', routed: false, profile: null } };
}

export async function prepareJob(deps: Deps, path: string, options: PrepareOptions): Promise<PreparedJob> {
  const read = await readJobSpecFile(deps.fs, path);
  if (!read.ok) return { jobId: 'unknown', entry: read.entry, outcome: preJob(read.reason) };
  const parsed = parseJobSpec(read.bytes);
  if (!parsed.ok) return { jobId: parsed.jobId, entry: read.entry, outcome: preJob(parsed.reason) };
  const planned = await planJob({ deps, jobId: parsed.jobId, spec: parsed.spec, startedMs: options.startedMs, probe: options.probe, inFlight: options.inFlight });
  return { jobId: parsed.jobId, entry: read.entry, outcome: planned };
}

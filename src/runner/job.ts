// One job, start to finish (contract section 4): claim → read → parse and plan → execute → settle.
// Every JobSpec that is claimed is settled into completed/ or failed/ beside its result, whatever it
// contains; only a failure of the filesystem itself (or a crash) can stop that, and then the JobSpec
// stays in running/ for the next start's recovery.

import { join } from 'node:path';
import type { Deps } from '../ports.ts';
import { DISK_TROUBLE_CODES, fsErrorCode, lstatOrNull } from '../ports.ts';
import type { FinalStatus } from '../result.ts';
import type { Execution, ExecutionContext } from './execute.ts';
import { executeClips } from './execute.ts';
import { formatTimestamp } from '../result.ts';
import { buildJobResult } from './job-result.ts';
import type { Layout } from './layout.ts';
import type { PlanFailure } from './plan.ts';
import { prepareJob } from './prepare.ts';
import type { SettledNames } from './settle.ts';
import { settleJob } from './settle.ts';
import { recreateIfMissing } from './state-folders.ts';
import { dropSubmissionTwin } from './submission.ts';
import type { OutputsInFlight } from './outputs-in-flight.ts';

export interface JobContext extends ExecutionContext {
  readonly layout: Layout;
  readonly workerStartedAt: string;
  /** The jobs being processed now (their names, in claim order), for the stop event to name them. */
  readonly running: Set<string>;
  /** Which worker runs this job (from 1), as its result says. */
  readonly worker: number;
  /** The outputs of the jobs in flight (--max-workers), shared by every worker. */
  readonly inFlight: OutputsInFlight;
}

export type JobOutcome =
  | { readonly kind: 'settled'; readonly status: FinalStatus; readonly jobId: string; readonly settled: SettledNames; readonly reason: string | null }
  /** Not claimed: `running/<name>` is taken, or the file vanished. Neither success nor failure. */
  | { readonly kind: 'not-claimed'; readonly why: 'running-taken' | 'vanished' | 'claim-failed'; readonly detail: string };

/**
 * The reason the other workers' jobs are stopped when one job's disk failed: they are not filed (nothing is
 * filed FAILED because of the disk, R4.16) but left in running/ for the next start's recovery.
 */
export class DiskHalt extends Error {
  constructor() {
    super('another job met a failing disk');
    this.name = 'DiskHalt';
  }
}

/** rename(2), answering with its fs error instead of throwing it (null when it worked). */
async function renameFailure(deps: Deps, from: string, to: string): Promise<{ readonly code: string; readonly error: unknown } | null> {
  try {
    await deps.fs.rename(from, to);
    return null;
  } catch (error) {
    return { code: fsErrorCode(error), error };
  }
}

/**
 * Renames `pending/<name>` into running/ (with --shared, layout.running is this runner's own folder there).
 * A claim that reports ENOENT is looked for where it went: a network client whose reply was lost sends the
 * rename again, and the retry finds the source gone although the first one moved it.
 */
async function claim(deps: Deps, layout: Layout, name: string): Promise<JobOutcome | null> {
  const target = join(layout.running, name);
  try {
    await deps.fs.lstat(target);
    return { kind: 'not-claimed', why: 'running-taken', detail: `running/${name} already exists` };
  } catch (error) {
    if (fsErrorCode(error) !== 'ENOENT') throw error;
  }
  let failure = await renameFailure(deps, join(layout.pending, name), target);
  // running/ itself was removed (say with the JobSpec of the previous job in it): create it again, once.
  if (failure?.code === 'ENOENT' && (await recreateIfMissing(deps, layout, layout.running))) failure = await renameFailure(deps, join(layout.pending, name), target);
  // Nobody but this runner renames into its running/ folder (the lock's or its lease's), and the name was
  // free just before: a name there now is our claim, done.
  if (failure?.code === 'ENOENT' && (await lstatOrNull(deps.fs, target)) !== null) failure = null;
  if (failure !== null) {
    const { code } = failure;
    if (code === 'ENOENT') return { kind: 'not-claimed', why: 'vanished', detail: 'taken by another process' };
    // A failing disk stops claiming altogether, rather than trying (and logging) every other candidate.
    if (DISK_TROUBLE_CODES.has(code)) throw failure.error;
    return { kind: 'not-claimed', why: 'claim-failed', detail: `cannot move it to running/ (${code})` };
  }
  // Durable before anything depends on it: after a power cut the JobSpec must not reappear in pending/
  // next to a settled copy of itself.
  await deps.fs.fsyncDir(layout.running);
  await deps.fs.fsyncDir(layout.pending);
  return null;
}

function notStarted(): Execution {
  return { clips: [], failureReason: null };
}

/**
 * Claims and runs one job. `planned` is called once the job no longer needs to go before the next claim:
 * when it was not claimed, or once its plan (and so its hold on its outputs) is made. The jobs claimed
 * after it may run beside it from then on (--max-workers).
 */
export async function processJob(ctx: JobContext, name: string, planned: () => void = () => undefined): Promise<JobOutcome> {
  const { deps, layout } = ctx;
  const unclaimed = await claim(deps, layout, name);
  if (unclaimed !== null) return unclaimed;
  deps.log.event('claim', `Claimed ${name}: moved to running/`, { job: name });
  ctx.running.add(name);
  try {
    return await runClaimed(ctx, name, planned);
  } finally {
    ctx.running.delete(name);
    ctx.inFlight.release(name);
  }
}

async function runClaimed(ctx: JobContext, name: string, planned: () => void): Promise<JobOutcome> {
  const { deps, layout } = ctx;

  const jobspecPath = join(layout.running, name);
  const startedMs = deps.clock.now();
  let planFailure: PlanFailure | null = null;
  let execution = notStarted();
  let profile: string | null = null;

  const options = { startedMs, probe: true, inFlight: ctx.inFlight };
  let prepared = await prepareJob(deps, jobspecPath, options);
  // Two links, the other a submission's staged name: the submit was claimed before it dropped that name.
  if (!prepared.outcome.ok && prepared.entry !== null && (await dropSubmissionTwin(deps, layout, name, prepared.entry))) {
    prepared = await prepareJob(deps, jobspecPath, options);
  }
  const { jobId, entry } = prepared;
  if (prepared.outcome.ok) ctx.inFlight.hold(name, prepared.outcome.plan.clips.map((clip) => clip.output));
  planned();
  if (!prepared.outcome.ok) {
    planFailure = prepared.outcome.failure;
  } else {
    profile = prepared.outcome.plan.profile.name;
    execution = await executeClips(ctx, prepared.outcome.plan, { name, jobId, startedAt: formatTimestamp(startedMs) });
  }

  const result = buildJobResult({
    jobId,
    jobspecPath,
    startedMs,
    completedMs: deps.clock.now(),
    workerStartedAt: ctx.workerStartedAt,
    worker: ctx.worker,
    planFailure,
    clips: execution.clips,
    executionFailure: execution.failureReason,
    profile,
  });
  // Another worker's disk failed: this job stays in running/ unfiled, as the failing one does (R4.22).
  if (ctx.stop.reason instanceof DiskHalt) throw ctx.stop.reason;
  await ctx.fence?.();
  const settled = await settleJob(deps, layout, name, result, { entry });
  return { kind: 'settled', status: result.final_status, jobId, settled, reason: planFailure?.reason ?? execution.failureReason };
}

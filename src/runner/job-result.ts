// Builds the job-level result of contract section 10 from what happened to one job. A job recovered at
// startup is the same result with the interruption as its reason and a `_recovery` block: one builder.

import { extensionOf, baseName } from '../engine/routing.ts';
import type { ClipResult, FinalStatus, JobResult } from '../result.ts';
import { durationSeconds, formatTimestamp } from '../result.ts';
import { INTERRUPTED } from './execute.ts';
import type { PlanFailure } from './plan.ts';

/** What recovery knows of a job a dead runner left in running/. */
export interface RecoveryFacts {
  readonly recoveredMs: number;
  /** The file's own `jobspec_version` when it parses as an object (the job was never validated). */
  readonly jobspecVersion: string;
}

export interface JobFacts {
  readonly jobId: string;
  readonly jobspecPath: string;
  readonly startedMs: number;
  readonly completedMs: number;
  readonly workerStartedAt: string;
  /** The worker that ran it (--max-workers: from 1); recovery's is 1. */
  readonly worker?: number;
  /** Set when the job stopped before any FFmpeg started (PARTIAL). */
  readonly planFailure: PlanFailure | null;
  readonly clips: readonly ClipResult[];
  /** The execution failure (FAILED), or null. */
  readonly executionFailure: string | null;
  /** The profile the job was planned with, when planning succeeded. */
  readonly profile: string | null;
  /** Set for a job filed by startup recovery: what it did before the crash is not known. */
  readonly recovery?: RecoveryFacts;
}

function finalStatusOf(facts: JobFacts): FinalStatus {
  if (facts.planFailure !== null) return 'PARTIAL';
  return facts.executionFailure === null ? 'COMPLETED' : 'FAILED';
}

export function buildJobResult(facts: JobFacts): JobResult {
  const status = finalStatusOf(facts);
  const executed = facts.clips.map((c) => c.source_path);
  const extensions = [...new Set(executed.map((p) => extensionOf(p).toLowerCase()).filter((e) => e !== '').map((e) => `.${e}`))].sort();
  const failure = facts.planFailure?.reason ?? facts.executionFailure;
  const routed = facts.recovery === undefined && (facts.planFailure === null || facts.planFailure.routed);
  return {
    job_id: facts.jobId,
    final_status: status,
    clips: [...facts.clips],
    started_at: formatTimestamp(facts.startedMs),
    completed_at: formatTimestamp(facts.completedMs),
    duration_seconds: durationSeconds(facts.startedMs, facts.completedMs),
    total_clips: facts.clips.length,
    completed_clips: facts.clips.filter((c) => c.status === 'COMPLETED').length,
    failed_clips: facts.clips.filter((c) => c.status === 'FAILED').length,
    source_files: executed.map(baseName),
    source_extensions: extensions,
    _metadata: {
      jobspec_version: facts.recovery?.jobspecVersion ?? '2.1',
      validation_error: facts.planFailure?.reason ?? null,
      validation_stage: facts.planFailure?.stage ?? null,
      engine_used: routed ? 'ffmpeg' : null,
      resolve_preset_used: null,
      proxy_profile_used: facts.planFailure === null ? facts.profile : facts.planFailure.profile,
      resolve_edition_detected: null,
      resolve_version_detected: null,
      jobspec_path: facts.jobspecPath,
      // Stamped again at the moment of writing by settleJob.
      result_written_at: formatTimestamp(facts.completedMs),
      ...(failure === null ? {} : { failure_reason: failure }),
      worker_id: facts.worker ?? 1,
      worker_started_at: facts.workerStartedAt,
    },
    ...(facts.recovery === undefined
      ? {}
      : { _recovery: { reason: INTERRUPTED, recovered_at: formatTimestamp(facts.recovery.recoveredMs), original_path: facts.jobspecPath } }),
  };
}

export interface RecoveredJob {
  readonly jobId: string;
  readonly jobspecVersion: string;
  /** Where the dead runner left it: `running/<name>`. */
  readonly jobspecPath: string;
  readonly atMs: number;
  readonly workerStartedAt: string;
}

/** The result of a job found in running/ at startup: FAILED "runner interrupted", no clips. */
export function buildRecoveredResult(job: RecoveredJob): JobResult {
  return buildJobResult({
    jobId: job.jobId,
    jobspecPath: job.jobspecPath,
    startedMs: job.atMs,
    completedMs: job.atMs,
    workerStartedAt: job.workerStartedAt,
    planFailure: null,
    clips: [],
    executionFailure: INTERRUPTED,
    profile: null,
    recovery: { recoveredMs: job.atMs, jobspecVersion: job.jobspecVersion },
  });
}

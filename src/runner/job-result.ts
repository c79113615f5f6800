// Builds the job-level result of contract section 10 from what happened to one job.

import { extensionOf, baseName } from '../engine/routing.ts';
import type { ClipResult, FinalStatus, JobResult } from '../result.ts';
import { durationSeconds, formatTimestamp } from '../result.ts';
import type { PlanFailure } from './plan.ts';

export interface JobFacts {
  readonly jobId: string;
  readonly jobspecPath: string;
  readonly startedMs: number;
  readonly completedMs: number;
  readonly workerStartedAt: string;
  /** Set when the job stopped before any FFmpeg started (PARTIAL). */
  readonly planFailure: PlanFailure | null;
  readonly clips: readonly ClipResult[];
  /** The execution failure (FAILED), or null. */
  readonly executionFailure: string | null;
  /** The profile the job was planned with, when planning succeeded. */
  readonly profile: string | null;
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
  const routed = facts.planFailure === null || facts.planFailure.routed;
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
      jobspec_version: '2.1',
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
      worker_id: 1,
      worker_started_at: facts.workerStartedAt,
    },
  };
}

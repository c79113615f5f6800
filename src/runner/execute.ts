// Running the clips of a planned job (contract sections 8 and 9): one FFmpeg process at a time, in
// sources order, fail-fast. FFmpeg writes `<output>.partial`; only a clean exit with a non-empty file, from
// a source that did not change meanwhile, is published under the final name, without clobbering anything
// (publish.ts). A failed clip keeps its `.partial` as evidence.

import { dirname } from 'node:path';
import type { Deps, FileStat, TranscodeOutcome } from '../ports.ts';
import { lstatOrNull } from '../ports.ts';
import { oneLine } from '../log.ts';
import type { ClipResult } from '../result.ts';
import { durationSeconds, formatTimestamp } from '../result.ts';
import type { ChildRecorder } from './lock.ts';
import type { ClipPlan, JobPlan } from './plan.ts';
import { clipArgv } from './plan.ts';
import type { ClipLabel } from './progress.ts';
import { trackProgress } from './progress.ts';
import { publishOutput } from './publish.ts';
import { sourceChange, sourceIdentity } from './source-check.ts';

export interface ExecutionContext {
  readonly deps: Deps;
  readonly stop: AbortSignal;
  readonly clipTimeoutMs: number;
  /** How often a progress line is printed during an encode; 0: never. */
  readonly progressMs: number;
  readonly lock: ChildRecorder;
  /** --shared: throws when this runner's jobs were taken over by another (membership.ts); checked before publishing and filing. */
  readonly fence?: () => Promise<void>;
}

/** Which job a clip belongs to, for the log and the lock's activity. */
export interface JobLabel {
  readonly name: string;
  readonly jobId: string;
  /** When the job started (a result timestamp). */
  readonly startedAt: string;
}

export interface Execution {
  readonly clips: ClipResult[];
  /** The reason the job failed, or null when every clip completed. */
  readonly failureReason: string | null;
}

export const INTERRUPTED = 'runner interrupted';
const FFMPEG_MISSING = 'FFmpeg not found. Install FFmpeg to use headless execution.';
const NO_OUTPUT = 'Output file does not exist or has zero size';

/** The first reason that applies, in the contract's order; null when FFmpeg itself succeeded. */
function processFailure(outcome: TranscodeOutcome, stopped: boolean, timeoutMs: number): string | null {
  if (stopped) return INTERRUPTED;
  if (outcome.timedOut) return `FFmpeg timed out after ${timeoutMs / 1000} s`;
  if (outcome.signal !== null) return `FFmpeg was killed by signal ${outcome.signal}`;
  if (outcome.exitCode === null) return FFMPEG_MISSING; // it could not even be started
  if (outcome.exitCode !== 0) return `FFmpeg exited with code ${outcome.exitCode}`;
  return null;
}

async function sizeOfFile(deps: Deps, path: string): Promise<number | null> {
  const stat = await lstatOrNull(deps.fs, path);
  return stat?.kind === 'file' ? stat.size : null;
}

async function runClip(ctx: ExecutionContext, plan: JobPlan, clip: ClipPlan, ffmpeg: string | null, label: ClipLabel): Promise<ClipResult> {
  const { deps } = ctx;
  const startedMs = deps.clock.now();
  const argv = clipArgv(plan, clip, ffmpeg);
  let outcome: TranscodeOutcome = { exitCode: null, signal: null, timedOut: false, stderrTail: '' };
  let sourceBefore: FileStat | null = null;
  deps.log.event('clip-start', `Clip ${label.clip}/${label.clips} of ${label.job}: ${clip.sourcePath} -> ${clip.output}`, {
    job: label.job,
    job_id: label.jobId,
    clip: label.clip,
    clips: label.clips,
    source: clip.sourcePath,
    output: clip.output,
  });
  if (ffmpeg !== null) {
    sourceBefore = await sourceIdentity(deps, clip.source);
    const progress = trackProgress(deps, ctx.lock, label, ctx.progressMs);
    outcome = await deps.transcoder.run({
      argv,
      timeoutMs: ctx.clipTimeoutMs,
      signal: ctx.stop,
      onSpawn: (pid) => ctx.lock.recordChild(pid, progress.activity),
      onProgress: (report) => progress.report(report),
    });
    await progress.settle();
    await ctx.lock.recordChild(null);
  }
  // Whether the stop came while FFmpeg ran: one that arrives later (while the output is published) stops
  // the next clip, but this FFmpeg still ended by itself and its exit code stands (SPEC.md R9.6).
  const stoppedDuringRun = ctx.stop.aborted;
  let reason = processFailure(outcome, stoppedDuringRun, ctx.clipTimeoutMs);
  // "Size > 0" proves an output, not an output of this source: one that changed meanwhile fails the clip.
  // (No reason yet means FFmpeg ran: without one, the reason is FFMPEG_MISSING.)
  if (reason === null) reason = sourceChange(clip.sourcePath, sourceBefore, await sourceIdentity(deps, clip.source));
  let published = false;
  // The size verified before publishing is the published file's: the link is the same inode. Asking again
  // afterwards could only contradict it (a transient error, a file removed under us) and turn a verified
  // clip into a COMPLETED result that says its output does not exist.
  let finalSize: number | null = null;
  if (reason === null) {
    const size = await sizeOfFile(deps, clip.partial);
    if (size !== null && size !== 0) await ctx.fence?.();
    reason = size === null || size === 0 ? NO_OUTPUT : await publishOutput(deps, clip, plan.publishMethod);
    published = reason === null;
    if (published) finalSize = size;
  }
  const completedMs = deps.clock.now();
  return {
    source_path: clip.sourcePath,
    resolved_output_path: clip.output,
    ffmpeg_command: argv,
    // −1 whenever the process did not end by itself: FFmpeg that was stopped or timed out exits 255 on
    // its own SIGTERM handler, which would otherwise read like an ordinary failure. A process killed by a
    // signal, or never started, has no exit code (the Transcoder port's contract).
    exit_code: outcome.timedOut || stoppedDuringRun || outcome.exitCode === null ? -1 : outcome.exitCode,
    // Set only when published, and only a non-empty file is ever published.
    output_exists: finalSize !== null,
    output_size_bytes: finalSize,
    status: reason === null ? 'COMPLETED' : 'FAILED',
    failure_reason: reason,
    validation_stage: reason === null ? null : 'execution',
    engine_used: 'ffmpeg',
    proxy_profile_used: plan.profile.name,
    resolve_preset_used: null,
    started_at: formatTimestamp(startedMs),
    completed_at: formatTimestamp(completedMs),
    duration_seconds: durationSeconds(startedMs, completedMs),
    stderr_tail: outcome.stderrTail,
    partial_output_path: published || (await sizeOfFile(deps, clip.partial)) === null ? null : clip.partial,
  };
}

function logClipEnd(ctx: ExecutionContext, label: ClipLabel, result: ClipResult): void {
  const reason = result.failure_reason;
  const how = reason === null ? `${result.output_size_bytes ?? 0} bytes` : oneLine(reason);
  ctx.deps.log.event('clip-end', `Clip ${label.clip}/${label.clips} of ${label.job} ${result.status}: ${how}`, {
    job: label.job,
    job_id: label.jobId,
    clip: label.clip,
    clips: label.clips,
    status: result.status,
    reason,
    exit_code: result.exit_code,
    output: result.resolved_output_path,
    output_size_bytes: result.output_size_bytes,
  });
}

export async function executeClips(ctx: ExecutionContext, plan: JobPlan, job: JobLabel): Promise<Execution> {
  // Located once per job, not per clip: a PATH search is cheap but not free.
  const ffmpeg = await ctx.deps.transcoder.locate();
  const clips: ClipResult[] = [];
  for (const [index, clip] of plan.clips.entries()) {
    if (ctx.stop.aborted) return { clips, failureReason: INTERRUPTED };
    const label: ClipLabel = { job: job.name, jobId: job.jobId, jobStartedAt: job.startedAt, clip: index + 1, clips: plan.clips.length, source: clip.sourcePath };
    const result = await runClip(ctx, plan, clip, ffmpeg, label);
    logClipEnd(ctx, label, result);
    clips.push(result);
    if (result.failure_reason !== null) return { clips, failureReason: result.failure_reason };
  }
  return { clips, failureReason: null };
}

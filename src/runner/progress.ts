// The progress of the clip being encoded: FFmpeg's own reports (the Transcoder's onProgress) become a
// `progress` line at most every --progress-seconds, and the lock record's activity (what `status` shows)
// at the same moments. Nothing happens between reports, so an encode costs no timer and no extra process,
// and a quick clip (done before the first interval) costs nothing at all.

import type { Deps, EncodeProgress } from '../ports.ts';
import { formatTimestamp } from '../result.ts';
import type { ChildRecorder } from './lock.ts';
import type { LockActivity } from './lock-record.ts';

/** How often the lock records progress for `status` when --progress-seconds 0 turned the lines off. */
export const STATUS_PROGRESS_MS = 10_000;

export interface ClipLabel {
  /** The JobSpec's name. */
  readonly job: string;
  readonly jobId: string;
  readonly jobStartedAt: string;
  /** From 1. */
  readonly clip: number;
  readonly clips: number;
  readonly source: string;
}

export interface ProgressTracker {
  /** The activity to record with the FFmpeg child's pid when it starts. */
  readonly activity: LockActivity;
  report(progress: EncodeProgress): void;
  /** Waits for the lock writes of earlier reports, and throws the first that failed (a disk error stops the runner). */
  settle(): Promise<void>;
}

/** How far `done` is of `total`, in percent with one decimal; null when FFmpeg has not said how long the input is. */
export function percentOf(done: number, total: number | null): number | null {
  if (total === null || total <= 0) return null;
  return Math.min(100, Math.round((done / total) * 1000) / 10);
}

/** Seconds as a person reads a media time: H:MM:SS. */
export function clockText(seconds: number): string {
  const whole = Math.floor(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

export function trackProgress(deps: Deps, lock: ChildRecorder, label: ClipLabel, progressMs: number): ProgressTracker {
  const startedMs = deps.clock.now();
  const everyMs = progressMs > 0 ? progressMs : STATUS_PROGRESS_MS;
  let lastMs = startedMs;
  let writes: Promise<void> = Promise.resolve();
  let failure: { readonly error: unknown } | null = null;
  const activityOf = (progress: EncodeProgress | null, atMs: number): LockActivity => ({
    job: label.job,
    job_id: label.jobId,
    job_started_at: label.jobStartedAt,
    clip: label.clip,
    clips: label.clips,
    source: label.source,
    clip_started_at: formatTimestamp(startedMs),
    done_seconds: progress?.doneSeconds ?? null,
    total_seconds: progress?.totalSeconds ?? null,
    speed: progress?.speed ?? null,
    updated_at: formatTimestamp(atMs),
  });
  return {
    activity: activityOf(null, startedMs),
    report(progress) {
      const now = deps.clock.now();
      if (now - lastMs < everyMs) return;
      lastMs = now;
      if (progressMs > 0) {
        const percent = percentOf(progress.doneSeconds, progress.totalSeconds);
        const total = progress.totalSeconds === null ? '' : ` of ${clockText(progress.totalSeconds)}`;
        const share = percent === null ? '' : ` (${percent}%)`;
        const speed = progress.speed === null ? '' : `, ${progress.speed}x`;
        deps.log.event('progress', `Encoding ${label.job} clip ${label.clip}/${label.clips}: ${clockText(progress.doneSeconds)}${total}${share}${speed}`, {
          job: label.job,
          job_id: label.jobId,
          clip: label.clip,
          clips: label.clips,
          done_seconds: progress.doneSeconds,
          total_seconds: progress.totalSeconds,
          percent,
          speed: progress.speed,
          elapsed_seconds: Math.round((now - startedMs) / 100) / 10,
        });
      }
      // One write at a time, in order; a failure is kept for settle(), since a callback cannot throw it.
      writes = writes.then(async () => {
        if (failure === null) await lock.recordActivity(activityOf(progress, now)).catch((error: unknown) => void (failure = { error }));
      });
    },
    async settle() {
      await writes;
      if (failure !== null) throw failure.error;
    },
  };
}
